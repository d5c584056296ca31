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
    public async Task Replay_left_without_an_outcome_is_parked_again()
    {
        var id = Guid.NewGuid();
        var consumer = $"tests-gone-{Guid.NewGuid():N}"[..24];
        await InsertAsync(id, consumer, "Replayed", retriesSent: 4, nextRetryAt: null, payload: "{}");
        // Parked, an operator's replay and discard (both only for parked records) apply to it again.
        await Eventually.UntilAsync(() => StatusAsync(id), status => status == "Parked", Patience, "the sweeper to park the replay");
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
        await Eventually.UntilAsync(() => StatusAsync(id), status => status == "Recovered", Patience,
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

        var parked = await Eventually.UntilAsync(() => ItemsAsync($"tests-{subscription}"), items => items.Count > 0,
            Patience, "the long-id event to be parked");
        var record = Assert.Single(parked);
        Assert.Equal("schema", record.Reason);
        Assert.Equal("Parked", record.Status);
        Assert.StartsWith("seq-", record.EventId, StringComparison.Ordinal);
        Assert.Contains("id must be", record.LastError, StringComparison.Ordinal);
        Assert.Empty(journal.ForOrganization(organization));
    }

    [Fact]
    public async Task DLQ_report_whose_fields_do_not_fit_the_ledger_is_recorded_under_bounded_names_and_parked()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        var consumer = $"tests-report-{Guid.NewGuid():N}"[..26];
        var organization = Guid.NewGuid();
        // A whole envelope (other readers of the DLQ stream parse it), with an id no ledger column holds.
        var body = (EventWire.Envelope(EventWire.NewProduct(organization), organization) with { Id = new string('R', 300) }).ToUtf8Json();
        var headers = new NatsHeaders
        {
            [EventHeaders.Consumer] = consumer,
            [EventHeaders.OriginalSubject] = "catalog.product.created",
            [EventHeaders.Reason] = EventHeaders.ReasonHandler,
            [EventHeaders.RetryAttempt] = "0",
            [EventHeaders.Error] = "boom",
        };

        await EventWire.PublishAsync(jetStream, "dlq.catalog.product.created", body, $"report-{Guid.NewGuid():N}", headers);

        var items = await Eventually.UntilAsync(() => ItemsAsync(consumer), found => found.Count > 0, Patience,
            "the oversized report to be recorded");
        var record = Assert.Single(items);
        Assert.Equal("schema", record.Reason);
        Assert.Equal("Parked", record.Status);
        Assert.StartsWith("seq-", record.EventId, StringComparison.Ordinal);
        Assert.Contains("event id does not fit", record.LastError, StringComparison.Ordinal);
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

    public sealed record Row(string EventId, string Reason, string Status, string LastError);

    private async Task<string?> StatusAsync(Guid id) =>
        (await QueryAsync("SELECT event_id, reason, status, '' FROM dead_letters WHERE id = @key", id)).SingleOrDefault()?.Status;

    private async Task<List<Row>> ItemsAsync(string consumer) => await QueryAsync("""
        SELECT event_id, reason, status, coalesce(attempts -> -1 ->> 'Error', '') FROM dead_letters WHERE consumer = @key
        """, consumer);

    private async Task<List<Row>> QueryAsync(string sql, object key)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("dlqdb"));
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(sql, connection);
        query.Parameters.AddWithValue("key", key);
        var rows = new List<Row>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return rows;
    }
}
