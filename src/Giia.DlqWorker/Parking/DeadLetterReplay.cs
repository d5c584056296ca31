using Giia.DlqWorker.Data;
using Giia.DlqWorker.Retry;

using Microsoft.EntityFrameworkCore;

namespace Giia.DlqWorker.Parking;

public enum OperatorActionResult
{
    Done,
    NotFound,
    NotParked,
    NatsUnavailable,
}

/// <summary>What an operator can do with a parked event: replay it to the consumer that failed, or discard it.</summary>
public sealed class DeadLetterReplay(DlqDbContext db, RetryPublisher publisher, TimeProvider time)
{
    /// <summary>Sends the event once more to its consumer; a replay that fails again comes back parked, with a new alert.</summary>
    public async Task<OperatorActionResult> ReplayAsync(Guid id, string operatorName, CancellationToken cancellationToken)
    {
        var deadLetter = await db.DeadLetters.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deadLetter is null)
        {
            return OperatorActionResult.NotFound;
        }

        if (deadLetter.Status != DeadLetterStatus.Parked)
        {
            return OperatorActionResult.NotParked;
        }

        // Claimed and committed before publishing: the replay's own failure report must find the record replayed.
        deadLetter.Status = DeadLetterStatus.Replayed;
        deadLetter.RetriesSent++;
        deadLetter.ResolvedAt = time.GetUtcNow();
        deadLetter.ResolvedBy = operatorName;
        deadLetter.UpdatedAt = time.GetUtcNow();
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
            // Not the request's token: a client that goes away mid-publish must not leave the record half-replayed
            // (the publisher has its own timeout; the sweeper parks a replay that still never reports back).
            await publisher.PublishAsync(deadLetter, deadLetter.RetriesSent, CancellationToken.None);
            return OperatorActionResult.Done;
        }
        catch (Exception ex) when (ex is NATS.Client.Core.NatsException or TimeoutException or OperationCanceledException)
        {
            deadLetter.Status = DeadLetterStatus.Parked;
            deadLetter.RetriesSent--;
            deadLetter.ResolvedAt = null;
            deadLetter.ResolvedBy = null;
            await db.SaveChangesAsync(CancellationToken.None);
            return OperatorActionResult.NatsUnavailable;
        }
    }

    public async Task<OperatorActionResult> DiscardAsync(Guid id, string operatorName, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await db.DeadLetters
            .Where(d => d.Id == id && d.Status == DeadLetterStatus.Parked)
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Status, DeadLetterStatus.Discarded)
                .SetProperty(d => d.ResolvedAt, now)
                .SetProperty(d => d.ResolvedBy, operatorName)
                .SetProperty(d => d.UpdatedAt, now), cancellationToken);
        if (changed == 1)
        {
            return OperatorActionResult.Done;
        }

        return await db.DeadLetters.AnyAsync(d => d.Id == id, cancellationToken) ? OperatorActionResult.NotParked : OperatorActionResult.NotFound;
    }
}
