using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Events;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

using NATS.Client.JetStream;

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
        var organization = Guid.NewGuid();
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
            await Eventually.UntilAsync(() => Task.FromResult(fixture.Alerts.AlertsFor(envelope.Id).Count), n => n > 0, Patience,
                $"an alert for event {envelope.Id}");
        }
        catch (TimeoutException ex)
        {
            using var debugApi = await DlqApiAsync();
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
        Assert.True(retryGaps.Zip(retryGaps.Skip(1)).All(pair => pair.Second >= pair.First), "retry gaps must not shrink");

        // The first dead-lettering carries the headers an operator needs.
        var dlqCopies = await EventWire.ReadAllAsync(jetStream, EventStreams.DeadLetter, "dlq.catalog.product.created");
        var first = dlqCopies.Single(m => EventWire.Parse(m).Id == envelope.Id && EventWire.Header(m, EventHeaders.RetryAttempt) == "0");
        Assert.Equal("catalog.product.created", EventWire.Header(first, EventHeaders.OriginalSubject));
        Assert.Equal(consumer, EventWire.Header(first, EventHeaders.Consumer));
        Assert.Equal("2", EventWire.Header(first, EventHeaders.Attempts));
        Assert.Equal(EventStreams.Catalog, EventWire.Header(first, EventHeaders.OriginalStream));
        Assert.True(long.Parse(EventWire.Header(first, EventHeaders.StreamSequence)!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("scripted failure", EventWire.Header(first, EventHeaders.Error), StringComparison.Ordinal);

        using var api = await DlqApiAsync();
        var parked = await FindAsync(api, consumer, envelope.Id);
        Assert.Equal("parked", parked.GetProperty("status").GetString());
        var id = parked.GetProperty("id").GetGuid();
        using (var detail = JsonDocument.Parse(await api.GetStringAsync(new Uri($"/api/dead-letters/{id}", UriKind.Relative))))
        {
            Assert.Equal([0, 1, 2, 3], detail.RootElement.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("retry").GetInt32()));
            Assert.Contains(envelope.Id, detail.RootElement.GetProperty("payload").GetString(), StringComparison.Ordinal);
        }

        // The handler is fixed; a replay delivers the event once more, and only to this consumer.
        journal.FailingOrganizations.TryRemove(organization, out _);
        using (var replay = await api.PostAsync(new Uri($"/api/dead-letters/{id}/replay", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        }

        await Eventually.UntilAsync(async () => (await FindAsync(api, consumer, envelope.Id)).GetProperty("status").GetString(),
            status => status == "recovered", Patience, "the replayed dead letter to be recovered");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(journal.For(envelope.Id), a => a.Succeeded);
        Assert.Single(fixture.Alerts.AlertsFor(envelope.Id));

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
        // A product.created whose data lacks the SKU and has a malformed organization id.
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = eventId,
            source = "/giia/tests",
            type = "product.created",
            specversion = "1.0",
            time = DateTimeOffset.UtcNow,
            datacontenttype = "application/json",
            schemaversion = 1,
            data = new { product_id = Guid.NewGuid(), organization_id = "not-a-uuid", name = "Widget" },
        });

        await EventWire.PublishAsync(jetStream, "catalog.product.created", body, eventId);

        await Eventually.UntilAsync(() => Task.FromResult(fixture.Alerts.AlertsFor(eventId).Count), n => n > 0, Patience,
            $"an alert for schema-invalid event {eventId}");
        using var api = await DlqApiAsync();
        var parked = await FindAsync(api, $"tests-{subscription}", eventId);
        Assert.Equal("schema", parked.GetProperty("reason").GetString());
        Assert.Equal("parked", parked.GetProperty("status").GetString());
        Assert.Equal(1, parked.GetProperty("attempts").GetInt32());
        Assert.Contains("sku", parked.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(journal.For(eventId));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(fixture.Alerts.AlertsFor(eventId));
    }

    private async Task<HttpClient> DlqApiAsync()
    {
        var client = fixture.CreateHttpClient("dlq-worker");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.ParameterAsync("dlq-operator-key"));
        return client;
    }

    private static async Task<JsonElement> FindAsync(HttpClient api, string consumer, string eventId)
    {
        var page = await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/dead-letters?consumer={consumer}&pageSize=100", UriKind.Relative));
        return page.GetProperty("items").EnumerateArray().Single(item => item.GetProperty("eventId").GetString() == eventId);
    }
}
