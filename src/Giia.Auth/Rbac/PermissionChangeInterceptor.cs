using Giia.Auth.Accounts;
using Giia.Auth.Invalidation;
using Giia.Data;
using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Giia.Auth.Rbac;

/// <summary>
/// Retires cached permission sets after any commit that can change them, wherever the change is made: a role assigned
/// or revoked (that user), a role's permissions or existence changed (its organization; a system role: everyone),
/// a user's status changed (that user), sessions ended (<see cref="SessionsEndedAsync"/>); then it tells the other
/// services (<see cref="InvalidationPublisher"/>). It runs after the commit, never before
/// (<see cref="AfterCommitInterceptor{TPending}"/>): a check that reads the database between the change and its commit
/// would otherwise fill the new key with the old answer.
/// </summary>
/// <remarks>
/// The cache and the publisher are resolved on the first commit that changes anything: the <c>migrate</c> command
/// builds contexts without Redis or NATS. A synchronous commit (nothing in Giia saves so) does not wait for the
/// retirement, which runs right after; what it cannot reach is logged as on the asynchronous path, where the
/// cache's reconnection and the notices' heartbeat gap retire everything anyway.
/// </remarks>
public sealed class PermissionChangeInterceptor(Lazy<PermissionCache> cache, Lazy<InvalidationPublisher?> notices,
    ILogger<PermissionChangeInterceptor> logger) : AfterCommitInterceptor<PermissionChanges>(logger)
{
    /// <summary>
    /// Notes sessions ended by a set-based update (which change tracking does not see): one session, or every session
    /// of the user when <paramref name="sessionId"/> is null. Retired and announced after the commit; at once when no
    /// transaction is open (the update committed on its own).
    /// </summary>
    public Task SessionsEndedAsync(DbContext context, Guid userId, Guid? sessionId) =>
        NoteAsync(context, changes => changes.Sessions.Add((userId, sessionId)));

    protected override void Collect(DbContext context, Func<PermissionChanges> pending)
    {
        PermissionChanges? changes = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached
                || entry.Entity is not (UserRole or User or Role or RolePermission))
            {
                continue;
            }

            // Most saves (sessions, audit rows, outbox bookkeeping) touch nothing of this: no state for them.
            changes ??= pending();
            switch (entry.Entity)
            {
                case UserRole assignment:
                    changes.Users.Add(assignment.UserId);
                    break;
                case User user when entry.State != EntityState.Added && StatusChanged(entry):
                    changes.Users.Add(user.Id);
                    break;
                case Role role when entry.State != EntityState.Added:
                    changes.Organizations.Add(role.OrganizationId);
                    break;
                case RolePermission link:
                    // The role is tracked whenever its links are edited through it; otherwise retire everything.
                    var owner = context.ChangeTracker.Entries<Role>().FirstOrDefault(r => r.Entity.Id == link.RoleId);
                    if (owner is null || owner.State != EntityState.Added)
                    {
                        changes.Organizations.Add(owner?.Entity.OrganizationId);
                    }

                    break;
            }
        }
    }

    private static bool StatusChanged(EntityEntry entry) => entry.State == EntityState.Deleted || entry.Property(nameof(User.Status)).IsModified;

    protected override async Task AfterCommitAsync(PermissionChanges pending)
    {
        if (pending.IsEmpty)
        {
            return;
        }

        // The change is committed: a failure to reach Redis here must not surface as a failed save (callers would
        // retry a done change). The cache logs it, and reconnection retires everything anyway.
        await cache.Value.InvalidateAsync([.. pending.Users, .. pending.Sessions.Select(s => s.User)], pending.Organizations, CancellationToken.None);

        // Then the other services: Auth's own cache already answers anew when they ask again.
        if (notices.Value is not { } publisher)
        {
            return;
        }

        foreach (var user in pending.Users)
        {
            await publisher.UserChangedAsync(user);
        }

        foreach (var (user, session) in pending.Sessions.Where(s => !pending.Users.Contains(s.User)))
        {
            await (session is { } id ? publisher.SessionEndedAsync(user, id) : publisher.UserChangedAsync(user));
        }

        foreach (var organization in pending.Organizations)
        {
            await (organization is { } id ? publisher.OrganizationChangedAsync(id) : publisher.EverythingChangedAsync());
        }
    }
}
