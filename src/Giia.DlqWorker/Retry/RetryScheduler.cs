using Giia.DlqWorker.Data;
using Giia.DlqWorker.Parking;
using Giia.Events;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.DlqWorker.Retry;

/// <summary>
/// Sends due retries. A retry is claimed (its number recorded, its due time cleared) and committed before it is
/// published, so its failure report can never overtake the claim; if publishing fails the claim is undone and the
/// retry is tried again shortly. Several workers share the work through <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
public sealed partial class RetryScheduler(IServiceScopeFactory scopes, RetryPublisher publisher, StreamProvisioning streams,
    IOptions<DlqOptions> options, TimeProvider time, ILogger<RetryScheduler> logger) : BackgroundService
{
    private readonly DlqOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await streams.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendNextDueAsync(stoppingToken))
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSchedulerFailed(logger, ex.Message);
            }

            await Task.Delay(settings.SchedulerInterval, time, stoppingToken);
        }
    }

    /// <summary>Claims and publishes one due retry; false when none is due.</summary>
    private async Task<bool> SendNextDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DlqDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        var claimed = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var due = (await db.DeadLetters
                .FromSql($"""
                    SELECT *, xmin FROM dead_letters
                    WHERE status = 'Retrying' AND next_retry_at IS NOT NULL AND next_retry_at <= {time.GetUtcNow()}
                    ORDER BY next_retry_at
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(ct)).SingleOrDefault();
            if (due is null)
            {
                return null;
            }

            due.RetriesSent++;
            due.NextRetryAt = null;
            due.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return due;
        }, cancellationToken);

        if (claimed is null)
        {
            return false;
        }

        try
        {
            await publisher.PublishAsync(claimed, claimed.RetriesSent, cancellationToken);
            LogRetrySent(logger, claimed.RetriesSent, claimed.EventId, claimed.Consumer);
        }
        catch (Exception ex) when (ex is NATS.Client.Core.NatsException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogRetryNotSent(logger, claimed.EventId, ex.Message);
            await db.DeadLetters.Where(d => d.Id == claimed.Id && d.Status == DeadLetterStatus.Retrying)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(d => d.RetriesSent, d => d.RetriesSent - 1)
                    .SetProperty(d => d.NextRetryAt, time.GetUtcNow() + TimeSpan.FromSeconds(2)), cancellationToken);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retry {Retry} of event {EventId} sent to {Consumer}")]
    private static partial void LogRetrySent(ILogger logger, int retry, string eventId, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retry of event {EventId} not sent, will try again: {Error}")]
    private static partial void LogRetryNotSent(ILogger logger, string eventId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retry scheduler pass failed: {Error}")]
    private static partial void LogSchedulerFailed(ILogger logger, string error);
}
