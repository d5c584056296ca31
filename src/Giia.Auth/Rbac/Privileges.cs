using Giia.Auth.Accounts;
using Giia.Auth.Data;
using Giia.Auth.Outcomes;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Rbac;

/// <summary>
/// The rules that keep a permission from being climbed, applied by every operation that grants, invites, changes
/// roles or acts on another user (REST and gRPC alike):
/// <list type="bullet">
/// <item>a role above the actor's own level (lower number; Admin 1 … Viewer 4) or holding a permission the actor
/// lacks is never granted, invited with, created or edited (403);</item>
/// <item>nobody changes their own roles (403);</item>
/// <item>a user of a higher level than the actor is not acted on (403);</item>
/// <item>the organization keeps at least one active Admin (409).</item>
/// </list>
/// A user's level is the best of their roles' levels; a user without roles ranks below every role. Level 1 belongs to
/// the system Admin role alone, so "an active Admin" and "an active user of level 1" are the same.
/// <para>
/// Every privileged change runs in a transaction opened by <see cref="BeginChangeAsync"/>: it locks the organization's
/// row, so the checks and the write of one change cannot interleave with another change to the same organization's
/// roles or users (an actor demoted a moment ago cannot still grant what they held), and it re-reads from the
/// database that the actor is still active and still holds the permission the endpoint was authorized with.
/// </para>
/// </summary>
public sealed class Privileges(AuthDbContext db, PermissionService permissions)
{
    public const int NoRoleLevel = int.MaxValue;

    /// <summary>The best level a custom role may have: below the system Admin role.</summary>
    public const int MinCustomRoleLevel = 2;

    public const int MaxCustomRoleLevel = 100;

    /// <summary>How long a privileged change waits for another change to the same organization (this transaction only).</summary>
    private const string SetLockTimeout = "SET LOCAL lock_timeout = '2s'";

    /// <summary>
    /// Opens a privileged change of <paramref name="organizationId"/>'s users or roles (call inside a transaction):
    /// locks the organization's row until the transaction ends, then confirms, uncached, that the actor is still an
    /// active user holding <paramref name="permission"/> (a check passed at the door may predate a revocation).
    /// </summary>
    public async Task<Refusal?> BeginChangeAsync(Guid actorId, Guid organizationId, string permission, CancellationToken ct)
    {
        // A crowd of changes to one organization queues on its row: a waiter gives up after a short wait (a transient
        // error, so it ends as a 503 within the request budget) instead of holding a pooled connection for long.
        await db.Database.ExecuteSqlRawAsync(SetLockTimeout, ct);
        await LockOrganizationAsync(organizationId, ct);
        var held = await permissions.LoadAsync(actorId, organizationId, ct); // a member only while active
        return held.Member && held.Names.Contains(permission)
            ? null
            : Forbidden("Permission no longer held", $"You no longer hold '{permission}'; the change was not made.");
    }

    public async Task<int> LevelOfAsync(Guid userId, Guid organizationId, CancellationToken ct) =>
        await db.UserRoles.Where(ur => ur.UserId == userId && ur.OrganizationId == organizationId)
            .Select(ur => (int?)ur.Role!.Level).MinAsync(ct) ?? NoRoleLevel;

    /// <summary>May <paramref name="actorId"/> give (or invite with, or shape a role into) this level and these permissions?</summary>
    public async Task<Refusal?> MayGrantAsync(Guid actorId, Guid organizationId, string roleName, int level,
        IEnumerable<string> rolePermissions, CancellationToken ct)
    {
        var actorLevel = await LevelOfAsync(actorId, organizationId, ct);
        if (level < actorLevel)
        {
            return Forbidden("Role above your level",
                $"'{roleName}' has level {level}, above your own ({Describe(actorLevel)}); only someone at that level or above may grant it.");
        }

        var held = await permissions.LoadAsync(actorId, organizationId, ct);
        var missing = rolePermissions.Where(p => !held.Names.Contains(p)).Order(StringComparer.Ordinal).ToList();
        return missing.Count > 0
            ? Forbidden("Role holds permissions you do not", $"'{roleName}' includes {string.Join(", ", missing)}, which you do not hold yourself.")
            : null;
    }

    /// <inheritdoc cref="MayGrantAsync(Guid, Guid, string, int, IEnumerable{string}, CancellationToken)"/>
    public async Task<Refusal?> MayGrantAsync(Guid actorId, Guid organizationId, Guid roleId, CancellationToken ct)
    {
        var role = await db.Roles.AsNoTracking().Where(r => r.Id == roleId && (r.OrganizationId == null || r.OrganizationId == organizationId))
            .Select(r => new { r.Name, r.Level, Permissions = r.Permissions.Select(p => p.Permission!.Name).ToList() })
            .SingleOrDefaultAsync(ct);
        return role is null
            ? Refusal.NotFound("Role not found", $"No role {roleId} in your organization (deleted meanwhile?).")
            : await MayGrantAsync(actorId, organizationId, role.Name, role.Level, role.Permissions, ct);
    }

    /// <summary>May <paramref name="actorId"/> act on <paramref name="targetId"/> (status, sessions, roles)? Not on a higher level.</summary>
    public async Task<Refusal?> MayActOnAsync(Guid actorId, Guid targetId, Guid organizationId, CancellationToken ct)
    {
        var actorLevel = await LevelOfAsync(actorId, organizationId, ct);
        var targetLevel = await LevelOfAsync(targetId, organizationId, ct);
        return targetLevel < actorLevel
            ? Forbidden("User above your level", $"User {targetId} has level {targetLevel}, above your own ({Describe(actorLevel)}).")
            : null;
    }

    /// <summary>
    /// Reactivating a user gives back every right their roles hold: the actor must hold them all, as if granting
    /// those roles anew (a user with only <c>users:activate</c> cannot bring back a Manager's rights).
    /// </summary>
    public async Task<Refusal?> MayRestoreAsync(Guid actorId, Guid targetId, Guid organizationId, CancellationToken ct)
    {
        var theirs = await db.UserRoles.Where(ur => ur.UserId == targetId && ur.OrganizationId == organizationId)
            .SelectMany(ur => ur.Role!.Permissions.Select(rp => rp.Permission!.Name)).Distinct().ToListAsync(ct);
        var held = await permissions.LoadAsync(actorId, organizationId, ct);
        var missing = theirs.Where(p => !held.Names.Contains(p)).Order(StringComparer.Ordinal).ToList();
        return missing.Count > 0
            ? Forbidden("User holds permissions you do not", $"User {targetId}'s roles include {string.Join(", ", missing)}, which you do not hold yourself.")
            : null;
    }

    /// <summary>Changing one's own roles is refused: a role is always given by someone else.</summary>
    public static Refusal? NotOwnRoles(Guid actorId, Guid targetId) => actorId == targetId
        ? Forbidden("Cannot change your own roles", "Another administrator must change your roles.")
        : null;

    /// <summary>
    /// When <paramref name="userId"/> stops being an active Admin (deactivated, or the Admin role removed), another
    /// active Admin must remain. Locks the organization's row until the caller's transaction ends, so two
    /// administrators removing each other at once cannot both succeed. Call inside a transaction.
    /// </summary>
    public async Task<Refusal?> KeepsAnActiveAdminAsync(Guid organizationId, Guid userId, CancellationToken ct)
    {
        if (!await IsActiveAdminAsync(userId, organizationId, ct))
        {
            return null;
        }

        await LockOrganizationAsync(organizationId, ct);
        var others = await db.UserRoles.Where(ur => ur.OrganizationId == organizationId && ur.UserId != userId
                && ur.Role!.Name == RbacSeed.Admin && ur.Role.OrganizationId == null)
            .Join(db.Users.Where(u => u.Status == UserStatus.Active), ur => ur.UserId, u => u.Id, (ur, u) => u.Id)
            .AnyAsync(ct);
        return others ? null : Refusal.Conflict("Last active Admin",
            $"User {userId} is the organization's last active Admin; make another user Admin first.");
    }

    /// <summary>
    /// Editing or deleting a custom role changes the rights of everyone holding it: each holder must be within the
    /// actor's reach, and the actor must not hold it (nobody changes their own rights).
    /// </summary>
    public async Task<Refusal?> MayChangeHoldersOfAsync(Guid actorId, Guid organizationId, Guid roleId, CancellationToken ct)
    {
        var holders = await db.UserRoles.Where(ur => ur.RoleId == roleId && ur.OrganizationId == organizationId).Select(ur => ur.UserId).ToListAsync(ct);
        if (holders.Contains(actorId))
        {
            return Forbidden("Cannot change a role you hold", "Another administrator must change a role you hold.");
        }

        var actorLevel = await LevelOfAsync(actorId, organizationId, ct);
        var above = await db.UserRoles.Where(ur => holders.Contains(ur.UserId) && ur.OrganizationId == organizationId && ur.Role!.Level < actorLevel)
            .Select(ur => ur.UserId).FirstOrDefaultAsync(ct);
        return above == Guid.Empty
            ? null
            : Forbidden("Role held above your level", $"User {above}, above your own level ({Describe(actorLevel)}), holds this role.");
    }

    private Task LockOrganizationAsync(Guid organizationId, CancellationToken ct) =>
        // NO KEY UPDATE: serializes these changes without blocking inserts that only reference the organization.
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM organizations WHERE id = {organizationId} FOR NO KEY UPDATE", ct);

    private Task<bool> IsActiveAdminAsync(Guid userId, Guid organizationId, CancellationToken ct) =>
        db.UserRoles.AnyAsync(ur => ur.UserId == userId && ur.OrganizationId == organizationId && ur.Role!.Name == RbacSeed.Admin
            && ur.Role.OrganizationId == null && db.Users.Any(u => u.Id == userId && u.Status == UserStatus.Active), ct);

    private static string Describe(int level) => level == NoRoleLevel ? "no role" : $"level {level}";

    private static Refusal Forbidden(string title, string detail) => Refusal.Forbidden(title, detail);
}
