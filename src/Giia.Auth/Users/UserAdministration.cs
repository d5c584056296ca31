using System.Security.Claims;

using Giia.Auth.Accounts;
using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Outcomes;
using Giia.Auth.Rbac;
using Giia.Auth.Sessions;
using Giia.Data;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Users;

/// <summary>
/// Administration of an organization's users: reading them, invitations and (de)activation. Every query is scoped to
/// the caller's organization (another organization's user is simply not found); each change, its event and its audit
/// record commit together.
/// </summary>
public sealed class UserAdministration(AuthDbContext db, EventOutbox outbox, AuditTrail audit, Privileges privileges, SessionEnding sessions,
    TimeProvider time)
{
    /// <summary>One user of the organization; null when there is none.</summary>
    public Task<UserView?> FindAsync(Guid organizationId, Guid id, CancellationToken ct) =>
        Project(db, UsersOf(db, organizationId).Where(u => u.Id == id)).SingleOrDefaultAsync(ct);

    /// <summary>One page of the organization's users, oldest first.</summary>
    public async Task<Page<UserView>> ListAsync(Guid organizationId, PageRequest paging, CancellationToken ct)
    {
        var query = UsersOf(db, organizationId);
        var total = await query.LongCountAsync(ct);
        var items = await Project(db, query.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Skip(paging.Skip).Take(paging.Size)).ToListAsync(ct);
        return new Page<UserView>(items, paging.Number, paging.Size, total);
    }

    /// <summary>A pending user with a role no higher than the inviter's, mailed a link to choose a password.</summary>
    public async Task<OperationResult<UserView>> InviteAsync(string email, string name, string roleName, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        var normalized = User.NormalizeEmail(email);
        var role = await db.Roles.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Name == roleName && (r.OrganizationId == null || r.OrganizationId == organizationId), ct);
        if (role is null)
        {
            return Refusal.InvalidField("role", $"role '{roleName}' does not exist.");
        }

        var userId = Guid.CreateVersion7();
        Refusal? refusal;
        try
        {
            // The checks and the new user (with its role, mail event and audit record) commit together, under the
            // organization's lock, so an inviter demoted meanwhile cannot still invite with the role they lost.
            refusal = await db.InTransactionAsync<Refusal?>(async token =>
            {
                if ((await privileges.BeginChangeAsync(actor, organizationId, Permissions.UsersWrite, token)
                    ?? await privileges.MayGrantAsync(actor, organizationId, role.Id, token)) is { } refused)
                {
                    return refused;
                }

                if (await db.Users.AnyAsync(u => u.Email == normalized, token))
                {
                    return EmailTaken;
                }

                var now = time.GetUtcNow();
                db.Users.Add(new User { Id = userId, OrganizationId = organizationId, Email = normalized, Name = name.Trim(), CreatedAt = now, UpdatedAt = now });
                db.UserRoles.Add(new UserRole { UserId = userId, RoleId = role.Id, OrganizationId = organizationId, AssignedBy = actor, AssignedAt = now });
                outbox.Enqueue(db, new UserPasswordResetRequested(userId, normalized, organizationId, now, "invited"), organizationId, $"users/{userId}");
                audit.Record(db, AuditActions.UserCreate, AuditResults.Success, organizationId, actor, "user", userId,
                    new { invited = normalized, role = role.Name });
                return null;
            }, ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return EmailTaken; // registered elsewhere (another organization) between the check and the insert
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ForeignKeyViolation })
        {
            return Refusal.InvalidField("role", $"role '{roleName}' was deleted meanwhile.");
        }

        if (refusal is not null)
        {
            return refusal;
        }

        return await Project(db, UsersOf(db, organizationId).Where(u => u.Id == userId)).SingleAsync(ct);
    }

    /// <summary>
    /// Activates or deactivates a user of the caller's organization, never one above the caller's level, never the
    /// last active Admin; deactivation ends every session at once.
    /// </summary>
    public async Task<OperationResult<UserView>> SetStatusAsync(Guid id, ClaimsPrincipal principal, UserStatus status, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        Refusal? refusal;
        try
        {
            // The checks, the status, the ended sessions and the audit record form one transaction (under the
            // execution strategy, which re-runs all of it after a transient failure).
            refusal = await db.InTransactionAsync<Refusal?>(async token =>
            {
                if (await privileges.BeginChangeAsync(actor, organizationId, Permissions.UsersActivate, token) is { } gone)
                {
                    return gone;
                }

                // The user's row too: a login (which stamps the row) cannot turn this change into a conflict meanwhile.
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {id} AND organization_id = {organizationId} FOR NO KEY UPDATE", token);
                var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.OrganizationId == organizationId, token);
                if (user is null)
                {
                    return NotFound(id);
                }

                if (user.Id == actor && status != UserStatus.Active)
                {
                    return Refusal.Conflict("Cannot deactivate yourself", "Ask another administrator.");
                }

                if ((await privileges.MayActOnAsync(actor, id, organizationId, token)
                    ?? (status == UserStatus.Active ? await privileges.MayRestoreAsync(actor, id, organizationId, token) : null)) is { } refused)
                {
                    return refused;
                }

                if (user.Status == status)
                {
                    return null; // already so: nothing to change, record or publish
                }

                if (status != UserStatus.Active && await privileges.KeepsAnActiveAdminAsync(organizationId, id, token) is { } lastAdmin)
                {
                    return lastAdmin;
                }

                var now = time.GetUtcNow();
                user.Status = status;
                user.UpdatedAt = now;
                if (status != UserStatus.Active)
                {
                    await sessions.EndAllSessionsAsync(db, id, "deactivated", now, token);
                }

                audit.Record(db, status == UserStatus.Active ? AuditActions.UserActivate : AuditActions.UserDeactivate, AuditResults.Success,
                    organizationId, actor, "user", id);
                return null;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("Changed at the same time", "The user was changed by another request; read it again.");
        }

        if (refusal is not null)
        {
            return refusal;
        }

        return await Project(db, UsersOf(db, organizationId).Where(u => u.Id == id)).SingleAsync(ct);
    }

    /// <summary>No user <paramref name="id"/> in the caller's organization (or in another one, which is the same to the caller).</summary>
    public static Refusal NotFound(Guid id) => Refusal.NotFound("User not found", $"No user {id} in your organization.");

    private static readonly Refusal EmailTaken = Refusal.Conflict("Email already registered", "An account with this email already exists.");

    /// <summary>The users of one organization: every user query starts here.</summary>
    private static IQueryable<User> UsersOf(AuthDbContext db, Guid organizationId) =>
        db.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId);

    private static IQueryable<UserView> Project(AuthDbContext db, IQueryable<User> users) =>
        users.Select(u => new UserView(
            u.Id, u.OrganizationId, u.Email, u.Name, u.Status.ToString().ToLower(),
            db.UserRoles.Where(ur => ur.UserId == u.Id).Select(ur => ur.Role!.Name).OrderBy(n => n).ToList(),
            u.EmailVerifiedAt, u.LastLoginAt, u.CreatedAt));
}
