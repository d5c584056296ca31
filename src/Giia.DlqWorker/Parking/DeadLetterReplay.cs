using System.Text.Json;

using Giia.DlqWorker.Data;
using Giia.DlqWorker.Retry;
using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

namespace Giia.DlqWorker.Parking;

public enum OperatorActionResult
{
    Done,
    NotFound,
    NotParked,
    NatsUnavailable,
}

/// <summary>
/// What an operator can do with a parked event of their organization: replay it to the consumer that failed, or
/// discard it. Each action is written on the record (who, when) and published as an <c>audit.recorded</c> event in the
/// same transaction.
/// </summary>
public sealed class DeadLetterReplay(DlqDbContext db, RetryPublisher publisher, EventOutbox outbox, TimeProvider time)
{
    public const string ReplayAction = "replay";
    public const string DiscardAction = "discard";

    /// <summary>The dead letters an operator of <paramref name="organizationId"/> may see: those of that organization only.</summary>
    public static IQueryable<DeadLetter> Of(DlqDbContext db, Guid organizationId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.DeadLetters.Where(d => d.OrganizationId == organizationId);
    }

    /// <summary>Sends the event once more to its consumer; a replay that fails again comes back parked, with a new alert.</summary>
    public async Task<OperatorActionResult> ReplayAsync(Guid id, DeadLetterOperator actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var deadLetter = await Of(db, actor.OrganizationId).SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deadLetter is null)
        {
            return OperatorActionResult.NotFound;
        }

        if (deadLetter.Status != DeadLetterStatus.Parked)
        {
            return OperatorActionResult.NotParked;
        }

        // Claimed and committed before publishing: the replay's own failure report must find the record replayed.
        var now = time.GetUtcNow();
        deadLetter.Status = DeadLetterStatus.Replayed;
        deadLetter.RetriesSent++;
        Resolve(deadLetter, ReplayAction, actor, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperatorActionResult.NotParked;
        }

        try
        {
            await publisher.PublishAsync(deadLetter, deadLetter.RetriesSent, cancellationToken);
            return OperatorActionResult.Done;
        }
        catch (Exception ex) when (ex is NATS.Client.Core.NatsException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            deadLetter.Status = DeadLetterStatus.Parked;
            deadLetter.RetriesSent--;
            deadLetter.ResolvedAt = null;
            deadLetter.ResolvedBy = null;
            Audit(deadLetter, ReplayAction, "failed", actor, time.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            return OperatorActionResult.NatsUnavailable;
        }
    }

    public async Task<OperatorActionResult> DiscardAsync(Guid id, DeadLetterOperator actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var deadLetter = await Of(db, actor.OrganizationId).SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deadLetter is null)
        {
            return OperatorActionResult.NotFound;
        }

        if (deadLetter.Status != DeadLetterStatus.Parked)
        {
            return OperatorActionResult.NotParked;
        }

        deadLetter.Status = DeadLetterStatus.Discarded;
        Resolve(deadLetter, DiscardAction, actor, time.GetUtcNow());
        try
        {
            // The row version makes a concurrent replay or discard of the same record lose here rather than both pass.
            await db.SaveChangesAsync(cancellationToken);
            return OperatorActionResult.Done;
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperatorActionResult.NotParked;
        }
    }

    private void Resolve(DeadLetter deadLetter, string action, DeadLetterOperator actor, DateTimeOffset now)
    {
        deadLetter.ResolvedAt = now;
        deadLetter.ResolvedBy = actor.ToString();
        deadLetter.UpdatedAt = now;
        deadLetter.OperatorActions.Add(new DeadLetterOperatorAction(action, actor.UserId, actor.OrganizationId, actor.Email, now));
        Audit(deadLetter, action, "success", actor, now);
    }

    private void Audit(DeadLetter deadLetter, string action, string result, DeadLetterOperator actor, DateTimeOffset now)
    {
        var details = JsonSerializer.SerializeToElement(new
        {
            eventId = deadLetter.EventId,
            eventType = deadLetter.EventType,
            consumer = deadLetter.Consumer,
            subject = deadLetter.OriginalSubject,
        });
        outbox.Enqueue(db, new AuditRecorded(Guid.CreateVersion7(), actor.OrganizationId, actor.UserId, $"dead_letter.{action}", "dead_letter",
            deadLetter.Id, result, null, null, System.Diagnostics.Activity.Current?.TraceId.ToString(), details, now), actor.OrganizationId);
    }
}
