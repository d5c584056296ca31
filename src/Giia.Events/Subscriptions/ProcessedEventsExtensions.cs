using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

namespace Giia.Events.Subscriptions;

public static class ProcessedEventsExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> once per (consumer, event id): in one transaction, it records the event in
    /// <c>processed_events</c> and does the work; a redelivered or replayed event finds its record and does nothing.
    /// Returns false when the event had been handled before.
    /// </summary>
    public static async Task<bool> HandleOnceAsync<TContext, TEvent>(this TContext db, EventContext<TEvent> context,
        Func<CancellationToken, Task> work, CancellationToken cancellationToken)
        where TContext : DbContext
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (!await db.MarkProcessedAsync(context, ct))
            {
                return false;
            }

            await work(ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>Records that this consumer handled the event; false when it already was.</summary>
    public static async Task<bool> MarkProcessedAsync<TEvent>(this DbContext db, EventContext<TEvent> context, CancellationToken cancellationToken)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(context);
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO processed_events (consumer, event_id, processed_at)
            VALUES ({context.Consumer}, {context.Envelope.Id}, {DateTimeOffset.UtcNow})
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        return inserted > 0;
    }

    /// <summary>Whether this consumer has already handled the event (for handlers whose effect is outside the database).</summary>
    public static Task<bool> WasProcessedAsync(this DbContext db, string consumer, string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<ProcessedEvent>().AnyAsync(e => e.Consumer == consumer && e.EventId == eventId, cancellationToken);
    }
}
