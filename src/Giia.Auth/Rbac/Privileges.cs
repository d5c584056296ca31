using Giia.Auth.Accounts;
using Giia.Auth.Data;

using Microsoft.AspNetCore.Http.HttpResults;
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
/// A user's level is the best of their roles' levels; a user without roles ranks below every role.
/// </summary>
public sealed class Privileges(AuthDbContext db, PermissionService permissions)
{
    public const int NoRoleLevel = int.MaxValue;

    public async Task<int> LevelOfAsync(Guid userId, Guid organizationId, CancellationToken ct) =>
        await db.UserRoles.Where(ur => ur.UserId == userId && ur.OrganizationId == organizationId)
            .Select(ur => (int?)ur.Role!.Level).MinAsync(ct) ?? NoRoleLevel;

    /// <summary>May <paramref name="actorId"/> give (or invite with, or shape a role into) this level and these permissions?</summary>
    public async Task<ProblemHttpResult?> MayGrantAsync(Guid actorId, Guid organizationId, string roleName, int level,
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
    public async Task<ProblemHttpResult?> MayGrantAsync(Guid actorId, Guid organizationId, Guid roleId, CancellationToken ct)
    {
        var role = await db.Roles.AsNoTracking().Where(r => r.Id == roleId)
            .Select(r => new { r.Name, r.Level, Permissions = r.Permissions.Select(p => p.Permission!.Name).ToList() })
            .SingleAsync(ct);
        return await MayGrantAsync(actorId, organizationId, role.Name, role.Level, role.Permissions, ct);
    }

    /// <summary>May <paramref name="actorId"/> act on <paramref name="targetId"/> (status, sessions, roles)? Not on a higher level.</summary>
    public async Task<ProblemHttpResult?> MayActOnAsync(Guid actorId, Guid targetId, Guid organizationId, CancellationToken ct)
    {
        var actorLevel = await LevelOfAsync(actorId, organizationId, ct);
        var targetLevel = await LevelOfAsync(targetId, organizationId, ct);
        return targetLevel < actorLevel
            ? Forbidden("User above your level", $"User {targetId} has level {targetLevel}, above your own ({Describe(actorLevel)}).")
            : null;
    }

    /// <summary>Changing one's own roles is refused: a role is always given by someone else.</summary>
    public static ProblemHttpResult? NotOwnRoles(Guid actorId, Guid targetId) => actorId == targetId
        ? Forbidden("Cannot change your own roles", "Another administrator must change your roles.")
        : null;

    /// <summary>
    /// When <paramref name="userId"/> stops being an active Admin (deactivated, or the Admin role removed), another
    /// active Admin must remain. Locks the organization's row until the caller's transaction ends, so two
    /// administrators removing each other at once cannot both succeed. Call inside a transaction.
    /// </summary>
    public async Task<ProblemHttpResult?> KeepsAnActiveAdminAsync(Guid organizationId, Guid userId, CancellationToken ct)
    {
        if (!await IsActiveAdminAsync(userId, organizationId, ct))
        {
            return null;
        }

        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM organizations WHERE id = {organizationId} FOR UPDATE", ct);
        var others = await db.UserRoles.Where(ur => ur.OrganizationId == organizationId && ur.UserId != userId
                && ur.Role!.Name == RbacSeed.Admin && ur.Role.OrganizationId == null)
            .Join(db.Users.Where(u => u.Status == UserStatus.Active), ur => ur.UserId, u => u.Id, (ur, u) => u.Id)
            .AnyAsync(ct);
        return others ? null : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Last active Admin",
            detail: $"User {userId} is the organization's last active Admin; make another user Admin first.");
    }

    private Task<bool> IsActiveAdminAsync(Guid userId, Guid organizationId, CancellationToken ct) =>
        db.UserRoles.AnyAsync(ur => ur.UserId == userId && ur.OrganizationId == organizationId && ur.Role!.Name == RbacSeed.Admin
            && ur.Role.OrganizationId == null && db.Users.Any(u => u.Id == userId && u.Status == UserStatus.Active), ct);

    private static string Describe(int level) => level == NoRoleLevel ? "no role" : $"level {level}";

    private static ProblemHttpResult Forbidden(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title, detail: detail);
}
