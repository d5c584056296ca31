using System.Text.Json;

using Giia.DlqWorker.Alerts;
using Giia.DlqWorker.Data;
using Giia.DlqWorker.Retry;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.DlqWorker.Parking;

/// <summary>A failure reported on <c>dlq.{subject}</c>: which consumer, which retry, and why.</summary>
public sealed record FailureReport(
    string EventId,
    string EventType,
    string OriginalSubject,
    string? OriginalStream,
    long StreamSequence,
    string Consumer,
    Guid? OrganizationId,
    int Retry,
    int Deliveries,
    string Reason,
    string Error,
    DateTimeOffset FailedAt,
    string Payload,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<TimeSpan>? RetrySchedule = null);

/// <summary>
/// The dead-letter state machine. A first failure starts retries on the schedule its report carries (the rest of the
/// subscription's schedule; <c>Giia:Dlq:RetrySchedule</c> when it carries none);
/// a failed retry schedules the next or, when they are spent, parks the event and raises an alert; a schema failure
/// is parked at once; a failed replay is parked again. Redelivered reports change nothing.
/// </summary>
public sealed class DeadLetterLedger(DlqDbContext db, DeadLetterAlerts alerts, IOptions<DlqOptions> options, TimeProvider time)
{
    private readonly DlqOptions settings = options.Value;

    public async Task RecordFailureAsync(FailureReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        DeadLetter? parked = null;
        var strategy = db.Database.CreateExecutionStrategy();
        await RetryOnConflictAsync(() => strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow();
            var deadLetter = await db.DeadLetters.SingleOrDefaultAsync(d => d.EventId == report.EventId && d.Consumer == report.Consumer, ct);
            if (deadLetter is null)
            {
                deadLetter = new DeadLetter
                {
                    Id = Guid.CreateVersion7(),
                    EventId = report.EventId,
                    EventType = report.EventType,
                    OriginalSubject = report.OriginalSubject,
                    OriginalStream = report.OriginalStream,
                    StreamSequence = report.StreamSequence,
                    Consumer = report.Consumer,
                    OrganizationId = report.OrganizationId,
                    Reason = report.Reason,
                    Payload = report.Payload,
                    Headers = JsonSerializer.Serialize(report.Headers),
                    Status = DeadLetterStatus.Retrying,
                    RetriesSent = report.Retry,
                    RetrySchedule = [.. report.RetrySchedule ?? settings.EffectiveRetrySchedule],
                    FirstFailedAt = report.FailedAt,
                };
                db.DeadLetters.Add(deadLetter);
            }

            if (deadLetter.Attempts.Any(a => a.Retry == report.Retry))
            {
                return; // this report was already recorded (redelivery)
            }

            deadLetter.Attempts.Add(new DeadLetterAttempt(report.Retry, report.FailedAt, report.Deliveries, report.Reason, report.Error));
            deadLetter.Reason = report.Reason;
            deadLetter.UpdatedAt = now;
            var retriesSpent = report.Retry >= deadLetter.RetrySchedule.Length;
            if (report.Reason == Giia.Events.EventHeaders.ReasonSchema || deadLetter.Status != DeadLetterStatus.Retrying || retriesSpent)
            {
                deadLetter.Status = DeadLetterStatus.Parked;
                deadLetter.NextRetryAt = null;
                deadLetter.ParkedAt = now;
                parked = deadLetter;
            }
            else
            {
                deadLetter.NextRetryAt = now + deadLetter.RetrySchedule[report.Retry];
            }

            await db.SaveChangesAsync(ct);
        }, cancellationToken));

        if (parked is not null)
        {
            await alerts.RaiseParkedAsync(parked, cancellationToken);
        }
    }

    /// <summary>Another writer changed the record between our read and our write: read it again and reapply.</summary>
    private static async Task RetryOnConflictAsync(Func<Task> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>A retry or replay succeeded (also one the sweeper had already given up on): the record is closed.</summary>
    public async Task RecordRecoveredAsync(string eventId, string consumer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.DeadLetters
            .Where(d => d.EventId == eventId && d.Consumer == consumer
                && (d.Status == DeadLetterStatus.Retrying || d.Status == DeadLetterStatus.Replayed || d.Status == DeadLetterStatus.Parked))
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, DeadLetterStatus.Recovered)
                .SetProperty(d => d.NextRetryAt, (DateTimeOffset?)null)
                .SetProperty(d => d.ResolvedAt, now)
                .SetProperty(d => d.UpdatedAt, now), cancellationToken);
    }
}
