using System.Data.Common;
using System.Runtime.CompilerServices;

using Giia.Auth.Accounts;
using Giia.Auth.Invalidation;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Giia.Auth.Rbac;

/// <summary>
/// Retires cached permission sets after any commit that can change them, wherever the change is made: a role assigned
/// or revoked (that user), a role's permissions or existence changed (its organization; a system role: everyone),
/// a user's status changed (that user), sessions ended (<see cref="SessionsEndedAsync"/>); then it tells the other
/// services (<see cref="InvalidationPublisher"/>). It runs after the commit, never before: a check that reads the database between
/// the change and its commit would otherwise fill the new key with the old answer.
/// </summary>
internal sealed class PermissionChangeInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly PermissionChangeInterceptor Instance = new();

    private static readonly ConditionalWeakTable<DbContext, Pending> PendingChanges = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null)
        {
            await PublishAsync(context);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null)
        {
            PublishAsync(context).GetAwaiter().GetResult();
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            await PublishAsync(context);
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            PublishAsync(context).GetAwaiter().GetResult();
        }
    }

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    private static void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        Pending? pending = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached
                || entry.Entity is not (UserRole or User or Role or RolePermission))
            {
                continue;
            }

            // Most saves (sessions, audit rows, outbox bookkeeping) touch nothing of this: no state for them.
            pending ??= PendingChanges.GetOrCreateValue(context);

            switch (entry.Entity)
            {
                case UserRole assignment:
                    pending.Users.Add(assignment.UserId);
                    break;
                case User user when entry.State != EntityState.Added && StatusChanged(entry):
                    pending.Users.Add(user.Id);
                    break;
                case Role role when entry.State != EntityState.Added:
                    pending.Organizations.Add(role.OrganizationId);
                    break;
                case RolePermission link:
                    // The role is tracked whenever its links are edited through it; otherwise retire everything.
                    var owner = context.ChangeTracker.Entries<Role>().FirstOrDefault(r => r.Entity.Id == link.RoleId);
                    if (owner is null || owner.State != EntityState.Added)
                    {
                        pending.Organizations.Add(owner?.Entity.OrganizationId);
                    }

                    break;
            }
        }
    }

    private static bool StatusChanged(EntityEntry entry) => entry.State == EntityState.Deleted || entry.Property(nameof(User.Status)).IsModified;

    private static async Task PublishAsync(DbContext context)
    {
        if (!PendingChanges.TryGetValue(context, out var pending))
        {
            return;
        }

        PendingChanges.Remove(context);
        if (pending.IsEmpty)
        {
            return;
        }

        var services = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;
        if (services?.GetService<PermissionCache>() is { } cache)
        {
            // The change is committed: a failure to reach Redis here must not surface as a failed save (callers would
            // retry a done change). The cache logs it, and reconnection retires everything anyway.
            await cache.InvalidateAsync([.. pending.Users, .. pending.Sessions.Select(s => s.User)], pending.Organizations, CancellationToken.None);
        }

        // Then the other services: Auth's own cache already answers anew when they ask again.
        if (services?.GetService<InvalidationPublisher>() is { } notices)
        {
            foreach (var user in pending.Users)
            {
                await notices.UserChangedAsync(user);
            }

            foreach (var (user, session) in pending.Sessions.Where(s => !pending.Users.Contains(s.User)))
            {
                await (session is { } id ? notices.SessionEndedAsync(user, id) : notices.UserChangedAsync(user));
            }

            foreach (var organization in pending.Organizations)
            {
                await (organization is { } id ? notices.OrganizationChangedAsync(id) : notices.EverythingChangedAsync());
            }
        }
    }

    /// <summary>
    /// Notes sessions ended by a set-based update (which change tracking does not see): one session, or every session
    /// of the user when <paramref name="sessionId"/> is null. Retired and announced after the commit; at once when no
    /// transaction is open (the update committed on its own).
    /// </summary>
    public static async Task SessionsEndedAsync(DbContext context, Guid userId, Guid? sessionId)
    {
        ArgumentNullException.ThrowIfNull(context);
        PendingChanges.GetOrCreateValue(context).Sessions.Add((userId, sessionId));
        if (context.Database.CurrentTransaction is null)
        {
            await PublishAsync(context);
        }
    }

    private static void Forget(DbContext? context)
    {
        if (context is not null)
        {
            PendingChanges.Remove(context);
        }
    }

    private sealed class Pending
    {
        public HashSet<Guid> Users { get; } = [];

        public HashSet<Guid?> Organizations { get; } = [];

        public HashSet<(Guid User, Guid? Session)> Sessions { get; } = [];

        public bool IsEmpty => Users.Count == 0 && Organizations.Count == 0 && Sessions.Count == 0;
    }
}
