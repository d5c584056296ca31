using System.Diagnostics.Metrics;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Giia.Events.Outbox;

/// <summary>
/// Reports the outbox backlog as a gauge and, hourly, removes sent rows past <c>Outbox:Retention</c> and
/// processed-event records past <c>Outbox:ProcessedRetention</c>, in batches of <c>Outbox:DeleteBatchSize</c> (each its
/// own short statement; replicas skip each other's locked rows instead of waiting on them).
/// </summary>
public sealed partial class OutboxHousekeeping<TContext> : BackgroundService where TContext : DbContext
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private readonly IServiceScopeFactory scopes;
    private readonly OutboxOptions settings;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private long backlog;

    public OutboxHousekeeping(IServiceScopeFactory scopes, IOptions<EventsOptions> options, EventsMetrics metrics,
        TimeProvider time, ILogger<OutboxHousekeeping<TContext>> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        this.scopes = scopes;
        settings = options.Value.Outbox;
        this.time = time;
        this.logger = logger;
        metrics.Meter.CreateObservableGauge("giia.events.outbox_backlog", () => Interlocked.Read(ref backlog), "{event}",
            "Outbox rows not yet published");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outbox = scope.ServiceProvider.GetRequiredService<TContext>().Set<OutboxMessage>();
                Interlocked.Exchange(ref backlog, await outbox.LongCountAsync(m => m.SentAt == null, stoppingToken));

                var now = time.GetUtcNow();
                if (now - lastCleanup > settings.CleanupInterval)
                {
                    var db = scope.ServiceProvider.GetRequiredService<TContext>();
                    var sent = await DeleteInBatchesAsync(db, cutoff => $"""
                        DELETE FROM outbox_messages WHERE id IN (
                            SELECT id FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < {cutoff}
                            ORDER BY sent_at LIMIT {settings.DeleteBatchSize} FOR UPDATE SKIP LOCKED)
                        """, now - settings.Retention, stoppingToken);
                    var processed = await DeleteInBatchesAsync(db, cutoff => $"""
                        DELETE FROM processed_events WHERE ctid IN (
                            SELECT ctid FROM processed_events WHERE processed_at < {cutoff}
                            ORDER BY processed_at LIMIT {settings.DeleteBatchSize} FOR UPDATE SKIP LOCKED)
                        """, now - settings.ProcessedRetention, stoppingToken);
                    lastCleanup = now;
                    if (sent + processed > 0)
                    {
                        LogRemoved(logger, sent, processed);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.Message);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    /// <summary>Runs a bounded DELETE until it removes less than a full batch; returns how many rows went.</summary>
    private async Task<long> DeleteInBatchesAsync(TContext db, Func<DateTimeOffset, FormattableString> statement, DateTimeOffset cutoff,
        CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var removed = await db.Database.ExecuteSqlAsync(statement(cutoff), cancellationToken);
            total += removed;
            if (removed < settings.DeleteBatchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox cleanup removed {Sent} sent rows and {Processed} processed-event records past retention")]
    private static partial void LogRemoved(ILogger logger, long sent, long processed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox housekeeping failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
