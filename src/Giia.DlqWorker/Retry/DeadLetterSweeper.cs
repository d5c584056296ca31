using Giia.DlqWorker.Data;
using Giia.DlqWorker.Parking;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.DlqWorker.Retry;

/// <summary>
/// Puts stuck dead letters back on their way and forgets resolved ones. A record <c>Retrying</c> with no next retry
/// for <c>Giia:Dlq:StuckAfter</c> had its retry claimed and never reported back (the publish failed with something
/// other than a NATS error, or the worker stopped in between): that retry is due again now. A record <c>Replayed</c>
/// that long without an outcome (the operator's request was aborted mid-publish) is parked again, so it can be replayed
/// or discarded. Recovered and discarded records are deleted <c>Giia:Dlq:ResolvedRetention</c> after their last change,
/// in batches.
/// </summary>
public sealed partial class DeadLetterSweeper(IServiceScopeFactory scopes, IOptions<DlqOptions> options, TimeProvider time,
    ILogger<DeadLetterSweeper> logger) : BackgroundService
{
    private readonly DlqOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex.Message);
            }

            await Task.Delay(settings.SweepInterval, time, stoppingToken);
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DlqDbContext>();
        var now = time.GetUtcNow();
        var stuckSince = now - settings.StuckAfter;

        // The claimed retry is sent again under the same number: a report of it that does arrive later is recognised.
        var retried = await db.DeadLetters
            .Where(d => d.Status == DeadLetterStatus.Retrying && d.NextRetryAt == null && d.UpdatedAt < stuckSince)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.RetriesSent, d => d.RetriesSent > 0 ? d.RetriesSent - 1 : 0)
                .SetProperty(d => d.NextRetryAt, now)
                .SetProperty(d => d.UpdatedAt, now), cancellationToken);

        var parked = await db.DeadLetters
            .Where(d => d.Status == DeadLetterStatus.Replayed && d.UpdatedAt < stuckSince)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, DeadLetterStatus.Parked)
                .SetProperty(d => d.ParkedAt, now)
                .SetProperty(d => d.ResolvedAt, (DateTimeOffset?)null)
                .SetProperty(d => d.ResolvedBy, (string?)null)
                .SetProperty(d => d.UpdatedAt, now), cancellationToken);

        if (retried + parked > 0)
        {
            LogUnstuck(logger, retried, parked);
        }

        var forgetBefore = now - settings.ResolvedRetention;
        long deleted = 0;
        while (true)
        {
            var batch = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM dead_letters WHERE id IN (
                    SELECT id FROM dead_letters
                    WHERE status IN ('Recovered', 'Discarded') AND updated_at < {forgetBefore}
                    ORDER BY updated_at LIMIT {settings.DeleteBatchSize} FOR UPDATE SKIP LOCKED)
                """, cancellationToken);
            deleted += batch;
            if (batch < settings.DeleteBatchSize)
            {
                break;
            }
        }

        if (deleted > 0)
        {
            LogForgotten(logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-letter sweeper: {Retried} stuck retries due again, {Parked} stuck replays parked again")]
    private static partial void LogUnstuck(ILogger logger, int retried, int parked);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dead-letter sweeper deleted {Count} resolved records past retention")]
    private static partial void LogForgotten(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead-letter sweep failed: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
