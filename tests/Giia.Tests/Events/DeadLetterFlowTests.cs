using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Events;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

using NATS.Client.Core;
using NATS.Client.JetStream;

using Npgsql;

namespace Giia.Tests.Events;

/// <summary>
/// A consumer that keeps failing: its deliveries, the copy to DLQ_EVENTS, the DLQ worker's three spaced retries
/// back to that consumer only, parking with one alert, and an operator's replay that succeeds once.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class DeadLetterFlowTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Failing_handler_is_dead_lettered_retried_three_times_parked_alerted_and_replayed_once()
    {
        var journal = new HandlerJournal();
        using var auth = new AuthApi(fixture);
        var (owner, ownerTokens) = await auth.RegisterVerifiedAsync();
        var organization = owner.OrganizationId;
        journal.FailingOrganizations[organization] = true;
        var subscription = $"flaky-{Guid.NewGuid():N}"[..20];
        await using var consumerHost = await TestEventHost.StartAsync(fixture,
            bus => bus.AddSubscription<Giia.Events.Contracts.ProductCreated, ScriptedProductHandler>(subscription),
            services: s => s.AddSingleton(journal));
        var jetStream = consumerHost.Services.GetRequiredService<INatsJSContext>();
        var consumer = $"tests-{subscription}";

        var envelope = EventWire.Envelope(EventWire.NewProduct(organization), organization);
        await EventWire.PublishAsync(jetStream, "catalog.product.created", envelope.ToUtf8Json(), envelope.Id);

        // Parked: one alert arrives, after the consumer's 2 deliveries and the worker's 3 retries.
        try
        {
            await Eventually.UntilAsync(() => Task.FromResult(fixture.Alerts.AlertsFor(envelope.Id, consumer).Count), n => n > 0, Patience,
                $"an alert for event {envelope.Id}");
        }
        catch (TimeoutException ex)
        {
            using var debugApi = DlqApi(ownerTokens.AccessToken);
            var state = await debugApi.GetStringAsync(new Uri($"/api/dead-letters?consumer={consumer}", UriKind.Relative));
            throw new TimeoutException($"{ex.Message}; handler saw {string.Join(", ", journal.For(envelope.Id))}; worker: {state}", ex);
        }

        var attempts = journal.For(envelope.Id);
        Assert.Equal([0, 0, 1, 2, 3], attempts.Select(a => a.RetryAttempt));
        Assert.All(attempts, a => Assert.False(a.Succeeded));
        var retryGaps = attempts.Skip(1).Zip(attempts.Skip(2), (before, after) => after.At - before.At).ToList();
        Assert.True(retryGaps[0] >= TimeSpan.FromSeconds(1) * 0.95, $"retry 1 came {retryGaps[0]} after the last delivery");
        Assert.True(retryGaps[1] >= TimeSpan.FromSeconds(2) * 0.95, $"retry 2 came {retryGaps[1]} after retry 1");
        Assert.True(retryGaps[2] >= TimeSpan.FromSeconds(4) * 0.95, $"retry 3 came {retryGaps[2]} after retry 2");
        // A retry never comes before its scheduled delay; how much later it comes depends on the machine's load, so
        // measured gaps are not compared with each other (a late retry 1 shortens nothing, but makes gap 1 look long).
        // That the schedule itself doubles is proven by RetryScheduleTests.

        // The first dead-lettering carries the headers an operator needs.
        var dlqCopies = await EventWire.ReadAllAsync(jetStream, EventStreams.DeadLetter, "dlq.catalog.product.created");
        var first = dlqCopies.Single(m => EventWire.Parse(m).Id == envelope.Id && EventWire.Header(m, EventHeaders.RetryAttempt) == "0");
        Assert.Equal("catalog.product.created", EventWire.Header(first, EventHeaders.OriginalSubject));
        Assert.Equal(consumer, EventWire.Header(first, EventHeaders.Consumer));
        Assert.Equal("2", EventWire.Header(first, EventHeaders.Attempts));
        Assert.Equal(EventStreams.Catalog, EventWire.Header(first, EventHeaders.OriginalStream));
        Assert.True(long.Parse(EventWire.Header(first, EventHeaders.StreamSequence)!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("scripted failure", EventWire.Header(first, EventHeaders.Error), StringComparison.Ordinal);

        using var api = DlqApi(ownerTokens.AccessToken);
        var parked = await FindAsync(api, consumer, envelope.Id);
        Assert.Equal("parked", parked.GetProperty("status").GetString());
        var id = parked.GetProperty("id").GetGuid();
        using (var detail = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/dead-letters/{id}", UriKind.Relative))))
        {
            Assert.Equal([0, 1, 2, 3], detail.RootElement.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("retry").GetInt32()));
            Assert.Contains(envelope.Id, detail.RootElement.GetProperty("payload").GetString(), StringComparison.Ordinal);
        }

        // Without dlq:* (a Manager), or from another organization (its Admin), nothing is seen and nothing replayed.
        var (_, managerTokens) = await auth.InviteAndSignInAsync(ownerTokens.AccessToken, "Manager");
        using (var manager = DlqApi(managerTokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync(new Uri($"/api/dead-letters/{id}", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync(new Uri($"/api/dead-letters/{id}/replay", UriKind.Relative), null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync(new Uri($"/api/dead-letters/{id}/discard", UriKind.Relative), null)).StatusCode);
        }

        var (_, strangerTokens) = await auth.RegisterVerifiedAsync();
        using (var stranger = DlqApi(strangerTokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(new Uri($"/api/dead-letters/{id}", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync(new Uri($"/api/dead-letters/{id}/replay", UriKind.Relative), null)).StatusCode);
            var strangersPage = await stranger.GetFromJsonAsync<JsonElement>(new Uri($"/api/dead-letters?consumer={consumer}", UriKind.Relative));
            Assert.Equal(0, strangersPage.GetProperty("total").GetInt64());
        }

        using (var anonymous = fixture.CreateHttpClient("dlq-worker"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/dead-letters", UriKind.Relative))).StatusCode);
        }

        // The handler is fixed; a replay delivers the event once more, and only to this consumer.
        journal.FailingOrganizations.TryRemove(organization, out _);
        using (var replay = await api.PostAsync(new Uri($"/api/dead-letters/{id}/replay", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        }

        // Who replayed it, and when, is on the record and in the audit stream.
        using (var detail = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/dead-letters/{id}", UriKind.Relative))))
        {
            var action = Assert.Single(detail.RootElement.GetProperty("operatorActions").EnumerateArray());
            Assert.Equal("replay", action.GetProperty("action").GetString());
            Assert.Equal(owner.UserId, action.GetProperty("userId").GetGuid());
            Assert.True(DateTimeOffset.UtcNow - action.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        }

        // The audit event was written with the replay (dlqdb's outbox) and relayed to JetStream.
        var dlqdb = await fixture.ConnectionStringAsync("dlqdb");
        await Eventually.UntilAsync(async () =>
            {
                await using var connection = new NpgsqlConnection(dlqdb);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    "SELECT count(*) FROM outbox_messages WHERE event_type = 'audit.recorded' AND sent_at IS NOT NULL AND payload LIKE @id AND payload LIKE '%dead_letter.replay%'",
                    connection);
                command.Parameters.AddWithValue("id", $"%{id}%");
                return (long)(await command.ExecuteScalarAsync())!;
            },
            sent => sent == 1, Patience, "the replay's audit.recorded event to be relayed");


        await Eventually.UntilAsync(async () => (await FindAsync(api, consumer, envelope.Id)).GetProperty("status").GetString(),
            status => status == "recovered", Patience, "the replayed dead letter to be recovered");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(journal.For(envelope.Id), a => a.Succeeded);
        Assert.Single(fixture.Alerts.AlertsFor(envelope.Id, consumer));

        // A second replay is refused: only parked events can be replayed.
        using var again = await api.PostAsync(new Uri($"/api/dead-letters/{id}/replay", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Schema_invalid_message_is_dead_lettered_with_reason_schema_and_never_retried()
    {
        var journal = new HandlerJournal();
        var subscription = $"strict-{Guid.NewGuid():N}"[..20];
        await using var consumerHost = await TestEventHost.StartAsync(fixture,
            bus => bus.AddSubscription<Giia.Events.Contracts.ProductCreated, ScriptedProductHandler>(subscription),
            services: s => s.AddSingleton(journal));
        var jetStream = consumerHost.Services.GetRequiredService<INatsJSContext>();
        var eventId = Guid.NewGuid().ToString();
        using var auth = new AuthApi(fixture);
        var (owner, ownerTokens) = await auth.RegisterVerifiedAsync();
        // A product.created of the owner's organization whose data lacks the SKU and has a malformed organization id.
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = eventId,
            source = "/giia/tests",
            type = "product.created",
            specversion = "1.0",
            time = DateTimeOffset.UtcNow,
            datacontenttype = "application/json",
            schemaversion = 1,
            organizationid = owner.OrganizationId,
            data = new { product_id = Guid.NewGuid(), organization_id = "not-a-uuid", name = "Widget" },
        });

        await EventWire.PublishAsync(jetStream, "catalog.product.created", body, eventId);

        await Eventually.UntilAsync(() => Task.FromResult(fixture.Alerts.AlertsFor(eventId, $"tests-{subscription}").Count), n => n > 0, Patience,
            $"an alert for schema-invalid event {eventId}");
        using var api = DlqApi(ownerTokens.AccessToken);
        var parked = await FindAsync(api, $"tests-{subscription}", eventId);
        Assert.Equal("schema", parked.GetProperty("reason").GetString());
        Assert.Equal("parked", parked.GetProperty("status").GetString());
        Assert.Equal(1, parked.GetProperty("attempts").GetInt32());
        Assert.Contains("sku", parked.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(journal.For(eventId));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(fixture.Alerts.AlertsFor(eventId, $"tests-{subscription}"));
    }

    [Fact]
    public async Task Forged_dead_letter_naming_another_services_consumer_is_refused_and_never_retried()
    {
        // What Ddmrp's login may publish (dlq.catalog.product.created), naming Auth's mail consumer in the headers.
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        var organization = Guid.NewGuid();
        var envelope = EventWire.Envelope(EventWire.NewProduct(organization), organization);
        await using var retries = await nats.SubscribeCoreAsync<byte[]>("retry.auth-password-email.>");
        await nats.PingAsync();
        var headers = new NatsHeaders
        {
            [EventHeaders.Consumer] = "auth-password-email",
            [EventHeaders.OriginalSubject] = "catalog.product.created",
            [EventHeaders.Reason] = EventHeaders.ReasonHandler,
            [EventHeaders.RetryAttempt] = "0",
            [EventHeaders.Attempts] = "2",
            [EventHeaders.Error] = "forged",
            [EventHeaders.RetrySchedule] = "0.1,0.1,0.1",
        };
        var ack = await jetStream.PublishAsync("dlq.catalog.product.created", envelope.ToUtf8Json(),
            opts: new NatsJSPubOpts { MsgId = $"forged-{envelope.Id}" }, headers: headers);
        ack.EnsureSuccess();

        // The intake takes it off the stream (acknowledged, so never redelivered) …
        await Eventually.UntilAsync(
            async () => (await jetStream.GetConsumerAsync(EventStreams.DeadLetter, "dlqworker-intake")).Info.AckFloor.StreamSeq,
            floor => floor >= ack.Seq, Patience, "the DLQ intake to take the forged report");

        // … sends the consumer it names no retry, and records nothing an operator could replay to it.
        Assert.False(await ReceivesAsync(retries, envelope.Id, TimeSpan.FromSeconds(5)), "the forged dead letter was retried to auth-password-email");
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("dlqdb"));
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM dead_letters WHERE event_id = @id", connection);
        count.Parameters.AddWithValue("id", envelope.Id);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    private static async Task<bool> ReceivesAsync(INatsSub<byte[]> subscription, string marker, TimeSpan wait)
    {
        using var quiet = new CancellationTokenSource(wait);
        try
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync(quiet.Token))
            {
                if (System.Text.Encoding.UTF8.GetString(message.Data ?? []).Contains(marker, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    /// <summary>The dead-letter API as a user: an organization's Admin holds dlq:read, dlq:replay and dlq:discard.</summary>
    private HttpClient DlqApi(string accessToken)
    {
        var client = fixture.CreateHttpClient("dlq-worker");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private static async Task<JsonElement> FindAsync(HttpClient api, string consumer, string eventId)
    {
        var page = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/dead-letters?consumer={consumer}&pageSize=100", UriKind.Relative));
        return page.GetProperty("items").EnumerateArray().Single(item => item.GetProperty("eventId").GetString() == eventId);
    }
}
