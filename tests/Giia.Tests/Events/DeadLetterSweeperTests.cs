using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Events;
using Giia.Events.Contracts;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

using NATS.Client.Core;
using NATS.Client.JetStream;

using Npgsql;

namespace Giia.Tests.Events;

/// <summary>
/// No dead letter is stranded: the sweeper (20 s deadline in the fixture) restarts a retry whose claim never reported
/// back and parks a replay that never did, after which replay and discard work; ids too long for the ledger are
/// refused with reason <c>schema</c> at the consumer and at the intake.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class DeadLetterSweeperTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Replay_left_without_an_outcome_is_parked_again_and_can_then_be_discarded()
    {
        var id = Guid.NewGuid();
        var consumer = $"tests-gone-{Guid.NewGuid():N}"[..24];
        await InsertAsync(id, consumer, "Replayed", retriesSent: 4, nextRetryAt: null, payload: "{}");
        using var api = await DlqApiAsync();

        // Until the sweeper acts, the replayed record refuses a replay or a discard.
        using (var early = await api.PostAsync(new Uri($"/api/dead-letters/{id}/discard", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        await Eventually.UntilAsync(async () => await StatusAsync(api, id), status => status == "parked", Patience, "the sweeper to park the replay");
        using var discarded = await api.PostAsync(new Uri($"/api/dead-letters/{id}/discard", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, discarded.StatusCode);
        Assert.Equal("discarded", await StatusAsync(api, id));
    }

    [Fact]
    public async Task Retry_claimed_but_never_reported_is_sent_again_and_recovers()
    {
        var journal = new HandlerJournal();
        var subscription = $"stuck-{Guid.NewGuid():N}"[..20];
        await using var host = await TestEventHost.StartAsync(fixture,
            bus => bus.AddSubscription<ProductCreated, ScriptedProductHandler>(subscription), services: s => s.AddSingleton(journal));
        var organization = Guid.NewGuid();
        var envelope = EventWire.Envelope(EventWire.NewProduct(organization), organization);
        var id = Guid.NewGuid();
        // As the scheduler leaves a record when it dies between claiming retry 2 and publishing it.
        await InsertAsync(id, $"tests-{subscription}", "Retrying", retriesSent: 2, nextRetryAt: null,
            payload: System.Text.Encoding.UTF8.GetString(envelope.ToUtf8Json()), eventId: envelope.Id);
        using var api = await DlqApiAsync();

        await Eventually.UntilAsync(async () => await StatusAsync(api, id), status => status == "recovered", Patience,
            () => $"the stuck retry to be sent again and recover; handler saw {journal.For(envelope.Id).Count} attempts");
        var attempt = Assert.Single(journal.For(envelope.Id));
        Assert.Equal(2, attempt.RetryAttempt);
        Assert.True(attempt.Succeeded);
    }

    [Fact]
    public async Task Event_id_longer_than_the_ledger_columns_is_dead_lettered_with_reason_schema_and_never_handled()
    {
        var journal = new HandlerJournal();
        var subscription = $"longid-{Guid.NewGuid():N}"[..20];
        await using var host = await TestEventHost.StartAsync(fixture,
            bus => bus.AddSubscription<ProductCreated, ScriptedProductHandler>(subscription), services: s => s.AddSingleton(journal));
        var jetStream = host.Services.GetRequiredService<INatsJSContext>();
        var organization = Guid.NewGuid();
        var longId = new string('L', 150) + Guid.NewGuid().ToString("N");
        var envelope = EventWire.Envelope(EventWire.NewProduct(organization), organization) with { Id = longId };

        await EventWire.PublishAsync(jetStream, "catalog.product.created", envelope.ToUtf8Json(), $"long-{Guid.NewGuid():N}");

        using var api = await DlqApiAsync();
        var parked = await Eventually.UntilAsync(async () => await ItemsAsync(api, $"tests-{subscription}"), items => items.Count > 0,
            Patience, "the long-id event to be parked");
        var record = Assert.Single(parked);
        Assert.Equal("schema", record.GetProperty("reason").GetString());
        Assert.Equal("parked", record.GetProperty("status").GetString());
        Assert.StartsWith("seq-", record.GetProperty("eventId").GetString(), StringComparison.Ordinal);
        Assert.Contains("id must be", record.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(journal.ForOrganization(organization));
    }

    [Fact]
    public async Task DLQ_report_whose_fields_do_not_fit_the_ledger_is_recorded_under_bounded_names_and_parked()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        var consumer = $"tests-report-{Guid.NewGuid():N}"[..26];
        var longId = new string('R', 300);
        var body = JsonSerializer.SerializeToUtf8Bytes(new { id = longId, type = "product.created", data = new { } });
        var headers = new NatsHeaders
        {
            [EventHeaders.Consumer] = consumer,
            [EventHeaders.OriginalSubject] = "catalog.product.created",
            [EventHeaders.Reason] = EventHeaders.ReasonHandler,
            [EventHeaders.RetryAttempt] = "0",
            [EventHeaders.Error] = "boom",
        };

        await EventWire.PublishAsync(jetStream, "dlq.catalog.product.created", body, $"report-{Guid.NewGuid():N}", headers);

        using var api = await DlqApiAsync();
        var items = await Eventually.UntilAsync(async () => await ItemsAsync(api, consumer), found => found.Count > 0, Patience,
            "the oversized report to be recorded");
        var record = Assert.Single(items);
        Assert.Equal("schema", record.GetProperty("reason").GetString());
        Assert.Equal("parked", record.GetProperty("status").GetString());
        Assert.StartsWith("seq-", record.GetProperty("eventId").GetString(), StringComparison.Ordinal);
        Assert.Contains("event id does not fit", record.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    private async Task InsertAsync(Guid id, string consumer, string status, int retriesSent, DateTimeOffset? nextRetryAt, string payload,
        string? eventId = null)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("dlqdb"));
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO dead_letters (id, event_id, event_type, original_subject, original_stream, stream_sequence, consumer, reason, payload,
                headers, retries_sent, status, next_retry_at, first_failed_at, updated_at, attempts, retry_schedule)
            VALUES (@id, @eventId, 'product.created', 'catalog.product.created', 'CATALOG_EVENTS', 1, @consumer, 'handler', @payload,
                '{}', @retries, @status, @next, now() - interval '10 minutes', now() - interval '1 minute', '[]',
                '{00:00:01,00:00:01,00:00:01}')
            """, connection);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("eventId", eventId ?? Guid.NewGuid().ToString());
        insert.Parameters.AddWithValue("consumer", consumer);
        insert.Parameters.AddWithValue("payload", payload);
        insert.Parameters.AddWithValue("retries", retriesSent);
        insert.Parameters.AddWithValue("status", status);
        insert.Parameters.AddWithValue("next", (object?)nextRetryAt ?? DBNull.Value);
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<HttpClient> DlqApiAsync()
    {
        var client = fixture.CreateHttpClient("dlq-worker");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.ParameterAsync("dlq-operator-key"));
        return client;
    }

    private static async Task<string?> StatusAsync(HttpClient api, Guid id) =>
        (await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/dead-letters/{id}", UriKind.Relative))).GetProperty("status").GetString();

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient api, string consumer) =>
        (await api.GetFromJsonAsync<JsonElement>(new Uri($"/api/dead-letters?consumer={consumer}&pageSize=100", UriKind.Relative)))
            .GetProperty("items").EnumerateArray().ToList();
}
