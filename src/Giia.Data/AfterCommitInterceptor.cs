using System.Data.Common;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Giia.Data;

/// <summary>
/// Runs an action once what a context wrote is committed, never before (a reader between the write and its commit
/// would see the old state) and never after a rollback. At each <c>SaveChanges</c> <see cref="Collect"/> notes what the
/// action needs; the action runs after <c>SaveChanges</c> when that committed on its own, after the explicit
/// transaction's commit otherwise; a failed save or a rollback discards what was noted.
/// </summary>
/// <remarks>
/// The interceptor is a singleton shared by every context (a pooled context's options are built once, from the root
/// provider) and holds no per-context state: what is pending lives in the context's own EF service scope, which EF
/// resets when a pooled context goes back to the pool, and it is tagged with the transaction it belongs to, so what a
/// transaction left behind without a commit or a rollback (disposed) never runs with a later one. Add it to a context's
/// options with <see cref="AddTo"/>.
/// </remarks>
public abstract partial class AfterCommitInterceptor<TPending> : SaveChangesInterceptor, IDbTransactionInterceptor
    where TPending : class, new()
{
    private readonly ILogger logger;

    protected AfterCommitInterceptor(ILogger logger) => this.logger = logger;

    /// <summary>Adds this interceptor and the per-context state it needs to a context's options.</summary>
    public void AddTo(DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(options.Options.FindExtension<StateExtension>() ?? new StateExtension());
        options.AddInterceptors(this);
    }

    /// <summary>
    /// Notes, before a <c>SaveChanges</c>, what the after-commit action needs from its changes. Call
    /// <paramref name="pending"/> only when there is something: a save that touches nothing of it then costs nothing.
    /// </summary>
    protected abstract void Collect(DbContext context, Func<TPending> pending);

    /// <summary>The action, once committed. It must not use the context (the caller may already be using it again).</summary>
    protected abstract Task AfterCommitAsync(TPending pending);

    /// <summary>
    /// The action after a synchronous commit, which must not block on asynchronous work: by default the action is
    /// started and not awaited (its failure logged), so the caller returns before it has run. Override with a
    /// synchronous form when there is one.
    /// </summary>
    protected virtual void AfterCommit(TPending pending) => _ = RunUnawaitedAsync(pending);

    /// <summary>
    /// Notes work done outside <c>SaveChanges</c> (a set-based update): it runs after the open transaction's commit,
    /// or at once when none is open (the statement committed on its own).
    /// </summary>
    protected async Task NoteAsync(DbContext context, Action<TPending> note)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(note);
        var transaction = context.Database.CurrentTransaction?.TransactionId;
        note(Pending(context, transaction));
        if (transaction is null && Take(context, null) is { } pending)
        {
            await AfterCommitAsync(pending);
        }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData?.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Saving(eventData?.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (TakeIfCommitted(eventData?.Context) is { } pending)
        {
            AfterCommit(pending);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (TakeIfCommitted(eventData?.Context) is { } pending)
        {
            await AfterCommitAsync(pending);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Discard(eventData?.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData?.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Discard(eventData?.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData?.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData?.Context is { } context && Take(context, eventData.TransactionId) is { } pending)
        {
            AfterCommit(pending);
        }
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        if (eventData?.Context is { } context && Take(context, eventData.TransactionId) is { } pending)
        {
            await AfterCommitAsync(pending);
        }
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData?.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData?.Context);
        return Task.CompletedTask;
    }

    private void Saving(DbContext? context)
    {
        if (context is not null)
        {
            var transaction = context.Database.CurrentTransaction?.TransactionId;
            Collect(context, () => Pending(context, transaction));
        }
    }

    /// <summary>A save inside an explicit transaction is not a commit yet: its work waits for the transaction's commit.</summary>
    private TPending? TakeIfCommitted(DbContext? context) =>
        context is not null && context.Database.CurrentTransaction is null ? Take(context, null) : null;

    /// <summary>What is pending for the transaction just committed (or a save that committed on its own), and no more.</summary>
    private TPending? Take(DbContext context, Guid? committed)
    {
        var state = context.GetService<State>();
        if (!state.Entries.Remove(this, out var entry))
        {
            return null;
        }

        // Noted outside any explicit transaction: the commit is that save's own (EF's transaction, or the statement's).
        return entry.Transaction is null || entry.Transaction == committed ? entry.Pending : null;
    }

    /// <summary>What is pending in this transaction (null: none open), started afresh when what was noted belongs to another.</summary>
    private TPending Pending(DbContext context, Guid? transaction)
    {
        var state = context.GetService<State>();
        if (!state.Entries.TryGetValue(this, out var entry) || entry.Transaction != transaction)
        {
            entry = new Entry(transaction, new TPending());
            state.Entries[this] = entry;
        }

        return entry.Pending;
    }

    private void Discard(DbContext? context) => context?.GetService<State>().Entries.Remove(this);

    private async Task RunUnawaitedAsync(TPending pending)
    {
        try
        {
            // Off the caller's thread at once: nothing of the action runs inside the synchronous call.
            await Task.Yield();
            await AfterCommitAsync(pending);
        }
#pragma warning disable CA1031 // Not awaited by anyone: an exception escaping here would go unobserved.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogAfterCommitFailed(logger, GetType().Name, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Interceptor}: the work after a synchronous commit failed")]
    private static partial void LogAfterCommitFailed(ILogger logger, string interceptor, Exception exception);

    private sealed record Entry(Guid? Transaction, TPending Pending);

    /// <summary>One context's pending work, per interceptor: a service of the context's scope, reset when it returns to the pool.</summary>
    private sealed class State : IResettableService
    {
        public Dictionary<AfterCommitInterceptor<TPending>, Entry> Entries { get; } = [];

        public void ResetState() => Entries.Clear();

        public Task ResetStateAsync(CancellationToken cancellationToken = default)
        {
            ResetState();
            return Task.CompletedTask;
        }
    }

    /// <summary>Puts <see cref="State"/> into the scope of every context built with these options.</summary>
    private sealed class StateExtension : IDbContextOptionsExtension
    {
        private DbContextOptionsExtensionInfo? info;

        public DbContextOptionsExtensionInfo Info => info ??= new StateExtensionInfo(this);

        public void ApplyServices(IServiceCollection services)
        {
            services.AddScoped<State>();
            services.AddScoped<IResettableService>(scope => scope.GetRequiredService<State>());
        }

        public void Validate(IDbContextOptions options)
        {
        }
    }

    private sealed class StateExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is StateExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}
