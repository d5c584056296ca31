using System.Diagnostics;

using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.Events.Outbox;

/// <summary>
/// Publishes committed outbox rows to JetStream, oldest first, and marks them sent. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so several instances share the work and never publish one row twice at once;
/// a crash releases the claim and the rows are published on the next pass (JetStream drops the duplicate by its
/// <c>Nats-Msg-Id</c> within the duplicate window). While NATS is away, a row waits with a growing backoff and nothing
/// is lost. Order per aggregate: a row is taken only when no earlier row of its aggregate is unsent, so a batch holds
/// at most one row per aggregate, a failing row holds back its own aggregate and no other, and a second relay cannot
/// publish an aggregate's next row before the first relay's claim on the previous one is committed as sent.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    INatsJSContext jetStream,
    OutboxSignal signal,
    StreamProvisioning streams,
    IOptions<EventsOptions> options,
    EventsMetrics metrics,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private readonly OutboxOptions settings = options.Value.Outbox;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await streams.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await RelayBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogBatchFailed(logger, ex);
                published = 0;
                await Task.Delay(settings.PollInterval, time, stoppingToken);
            }

            if (published < settings.BatchSize)
            {
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Claims, publishes and marks one batch; returns how many rows were published.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            var rows = await db.Set<OutboxMessage>()
                .FromSql(OutboxClaim.Query(now, settings.BatchSize))
                .AsNoTracking()
                .ToListAsync(ct);

            // Publishes are pipelined (all sent, then all acknowledgements awaited): one round trip per batch, not per row.
            var failures = (await Task.WhenAll(rows.Select(row => TryPublishAsync(row, ct)))).OfType<PublishFailure>().ToList();
            var sent = rows.Select(r => r.Id).Except(failures.Select(f => f.Row.Id)).ToList();

            // Set-based bookkeeping: one statement for the whole batch instead of one UPDATE per row.
            var sentAt = time.GetUtcNow();
            await db.Set<OutboxMessage>().Where(m => sent.Contains(m.Id)).ExecuteUpdateAsync(set => set
                .SetProperty(m => m.SentAt, sentAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                .SetProperty(m => m.LastError, (string?)null), ct);
            foreach (var failure in failures)
            {
                var attempts = failure.Row.Attempts + 1;
                var retryAt = sentAt + Backoff(attempts);
                await db.Set<OutboxMessage>().Where(m => m.Id == failure.Row.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LastError, failure.Error)
                    .SetProperty(m => m.NextAttemptAt, retryAt), ct);
            }

            await transaction.CommitAsync(ct);
            foreach (var row in rows.Where(r => sent.Contains(r.Id)))
            {
                metrics.Relayed(row.EventType);
            }

            return sent.Count;
        }, cancellationToken);
    }

    private sealed record PublishFailure(OutboxMessage Row, string Error);

    /// <summary>Publishes one row; the failure when NATS did not acknowledge it (the row then waits with a backoff).</summary>
    private async Task<PublishFailure?> TryPublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        var headers = new NatsHeaders { [EventHeaders.EventType] = row.EventType };
        if (row.TraceParent is not null)
        {
            headers[EventHeaders.TraceParent] = row.TraceParent;
        }

        if (!string.IsNullOrEmpty(row.TraceState))
        {
            headers[EventHeaders.TraceState] = row.TraceState;
        }

        // Publish inside the trace of the change that wrote the row: NATS.Net's own publish span (and the traceparent it
        // writes into the headers) then continues that trace instead of starting a new one.
        ActivityContext.TryParse(row.TraceParent, row.TraceState, out var origin);
        using var activity = GiiaTelemetry.ActivitySource.StartActivity($"{row.NatsSubject} publish", ActivityKind.Producer, origin);
        activity?.SetTag("messaging.system", "nats");
        activity?.SetTag("messaging.destination.name", row.NatsSubject);
        activity?.SetTag("messaging.message.id", row.Id.ToString());

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.PublishTimeout);
        try
        {
            var ack = await jetStream.PublishAsync(row.NatsSubject, System.Text.Encoding.UTF8.GetBytes(row.Payload),
                opts: new NatsJSPubOpts { MsgId = row.Id.ToString() }, headers: headers, cancellationToken: timeout.Token);
            ack.EnsureSuccess(); // a duplicate acknowledgement is a success: the stream already holds the event
            return null;
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            metrics.RelayFailed();
            LogPublishFailed(logger, row.Id, row.Attempts + 1, ex.Message);
            return new PublishFailure(row, Truncate(ex.Message, 2000));
        }
    }

    private TimeSpan Backoff(int attempts)
    {
        var exponential = TimeSpan.FromMilliseconds(250 * Math.Pow(2, Math.Min(attempts - 1, 16)));
        var capped = exponential < settings.MaxBackoff ? exponential : settings.MaxBackoff;
        return capped * (0.8 + (0.4 * Random.Shared.NextDouble())); // jitter, so instances do not retry in lockstep
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {Id}: publish attempt {Attempts} failed: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, Guid id, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox relay pass failed; retrying")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception);
}

/// <summary>The relay's claim of one batch, on its own so tests and benchmarks can EXPLAIN its plan.</summary>
public static class OutboxClaim
{
    /// <summary>The claim of one batch (public for the EXPLAIN check of its plan).</summary>
    public static FormattableString Query(DateTimeOffset now, int batchSize) => $"""
        SELECT m.* FROM outbox_messages m
        WHERE m.sent_at IS NULL AND m.next_attempt_at <= {now}
          AND (m.aggregate IS NULL OR NOT EXISTS (
              SELECT 1 FROM outbox_messages e
              WHERE e.aggregate = m.aggregate AND e.sent_at IS NULL AND e.aggregate_version < m.aggregate_version))
        ORDER BY m.created_at, m.id
        LIMIT {batchSize}
        FOR UPDATE OF m SKIP LOCKED
        """;
}
