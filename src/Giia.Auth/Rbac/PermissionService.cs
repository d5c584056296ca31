using Giia.Auth.Accounts;
using Giia.Auth.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Rbac;

/// <summary>The answer to "may this user, in this organization, do this?", from the database.</summary>
public sealed record PermissionDecision(bool Allowed, string Reason);

/// <summary>
/// Effective permissions are the union of the user's roles' permissions; anything not granted is denied. A user who is
/// not active, or who is asked about an organization that is not theirs, has none.
/// </summary>
public sealed class PermissionService(AuthDbContext db)
{
    public async Task<IReadOnlySet<string>?> EffectivePermissionsAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.OrganizationId, u.Status })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null || user.OrganizationId != organizationId || user.Status != UserStatus.Active)
        {
            return null;
        }

        var names = await db.UserRoles.AsNoTracking()
            .Where(ur => ur.UserId == userId && ur.OrganizationId == organizationId)
            .SelectMany(ur => ur.Role!.Permissions.Select(rp => rp.Permission!.Name))
            .Distinct()
            .ToListAsync(cancellationToken);
        return names.ToHashSet(StringComparer.Ordinal);
    }

    public async Task<PermissionDecision> CheckAsync(Guid userId, Guid organizationId, string permission, CancellationToken cancellationToken)
    {
        var permissions = await EffectivePermissionsAsync(userId, organizationId, cancellationToken);
        return Decide(permissions, permission);
    }

    public static PermissionDecision Decide(IReadOnlySet<string>? permissions, string permission) => permissions switch
    {
        null => new PermissionDecision(false, "user is not an active member of the organization"),
        _ when permissions.Contains(permission) => new PermissionDecision(true, "granted by role"),
        _ => new PermissionDecision(false, $"no role of the user grants {permission}"),
    };
}

/// <summary>Admits a request only when the caller's token names a user holding <c>permission</c> in their own organization.</summary>
public sealed class RequirePermissionFilter(string permission) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var principal = context.HttpContext.User;
        var userId = Tokens.AccessTokens.UserId(principal);
        var organizationId = Tokens.AccessTokens.OrganizationOf(principal);
        if (userId is null || organizationId is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
        }

        var permissions = context.HttpContext.RequestServices.GetRequiredService<PermissionService>();
        var decision = await permissions.CheckAsync(userId.Value, organizationId.Value, permission, context.HttpContext.RequestAborted);
        return decision.Allowed
            ? await next(context)
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: $"This needs the {permission} permission.");
    }
}

public static class PermissionEndpointExtensions
{
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().AddEndpointFilter(new RequirePermissionFilter(permission));
}
