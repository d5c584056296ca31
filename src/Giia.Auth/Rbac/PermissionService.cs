using Giia.Auth.Accounts;
using Giia.Auth.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Rbac;

/// <summary>
/// Effective permissions from the database: the union of the user's roles' permissions. A user who is not active, or
/// who is asked about an organization that is not theirs, has none.
/// </summary>
public sealed class PermissionService(AuthDbContext db)
{
    public async Task<PermissionSet> LoadAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken)
    {
        // One round trip: the user's membership and the names their roles grant in that organization.
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.OrganizationId,
                u.Status,
                Names = db.UserRoles.Where(ur => ur.UserId == u.Id && ur.OrganizationId == organizationId)
                    .SelectMany(ur => ur.Role!.Permissions.Select(rp => rp.Permission!.Name))
                    .ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null || user.OrganizationId != organizationId || user.Status != UserStatus.Active)
        {
            return PermissionSet.None;
        }

        return new PermissionSet { Member = true, Names = user.Names.ToHashSet(StringComparer.Ordinal) };
    }

    /// <summary>When the user's session ends if nothing ends it sooner (its current refresh token's expiry); null when it has ended.</summary>
    public Task<DateTimeOffset?> SessionEndAsync(Guid userId, Guid sessionId, CancellationToken cancellationToken) =>
        db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.FamilyId == sessionId && t.RevokedAt == null && t.RotatedAt == null)
            .MaxAsync(t => (DateTimeOffset?)t.ExpiresAt, cancellationToken);
}
