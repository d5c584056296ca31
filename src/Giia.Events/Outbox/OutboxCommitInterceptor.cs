using Giia.Data;
using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Giia.Events.Outbox;

/// <summary>
/// Signals the relay after a commit that wrote outbox rows (<see cref="AfterCommitInterceptor{TPending}"/>): after
/// <c>SaveChanges</c> when it ran its own transaction, after the explicit transaction's commit otherwise. Commits without
/// outbox rows (the relay's own bookkeeping among them) signal nothing. A lost signal costs latency only: the relay polls.
/// </summary>
/// <remarks>Nothing to carry but that rows were written: the pending item is a bare marker.</remarks>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal, ILogger<OutboxCommitInterceptor> logger) : AfterCommitInterceptor<object>(logger)
{
    protected override void Collect(DbContext context, Func<object> pending)
    {
        if (context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            pending();
        }
    }

    protected override Task AfterCommitAsync(object pending)
    {
        signal.Notify();
        return Task.CompletedTask;
    }

    /// <summary>Waking the relay is synchronous and never blocks.</summary>
    protected override void AfterCommit(object pending) => signal.Notify();
}
