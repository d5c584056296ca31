using Giia.Auth.Accounts;
using Giia.Auth.Audit;
using Giia.Auth.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Rbac;

/// <summary>The answer to "may this user, in this organization, do this?".</summary>
public sealed record PermissionDecision(bool Allowed, string Reason);

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
}

/// <summary>
/// Every permission check of the service, REST and gRPC alike: answered from <see cref="PermissionCache"/>, denied by
/// default, and recorded in the audit log without waiting for the record to be written.
/// </summary>
public sealed class PermissionChecks(PermissionCache cache, PermissionCheckAudit audit)
{
    public async Task<PermissionDecision> CheckAsync(Guid userId, Guid organizationId, string permission, RequestMetadata request,
        CancellationToken cancellationToken)
    {
        var set = await cache.GetAsync(userId, organizationId, cancellationToken);
        var decision = Decide(set, permission);
        audit.Record(userId, organizationId, permission, decision, request);
        return decision;
    }

    public async Task<IReadOnlyDictionary<string, PermissionDecision>> CheckManyAsync(Guid userId, Guid organizationId,
        IEnumerable<string> permissions, RequestMetadata request, CancellationToken cancellationToken)
    {
        var set = await cache.GetAsync(userId, organizationId, cancellationToken);
        var decisions = new Dictionary<string, PermissionDecision>(StringComparer.Ordinal);
        foreach (var permission in permissions)
        {
            if (!decisions.ContainsKey(permission))
            {
                var decision = Decide(set, permission);
                decisions[permission] = decision;
                audit.Record(userId, organizationId, permission, decision, request);
            }
        }

        return decisions;
    }

    /// <summary>A refusal that needs no lookup (the caller asked about someone else), recorded like any other check.</summary>
    public PermissionDecision Refuse(Guid userId, Guid organizationId, string permission, string reason, RequestMetadata request)
    {
        var decision = new PermissionDecision(false, reason);
        audit.Record(userId, organizationId, permission, decision, request);
        return decision;
    }

    public static PermissionDecision Decide(PermissionSet set, string permission) => set switch
    {
        { Member: false } => new PermissionDecision(false, "user is not an active member of the organization"),
        _ when set.Names.Contains(permission) => new PermissionDecision(true, "granted by role"),
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

        var checks = context.HttpContext.RequestServices.GetRequiredService<PermissionChecks>();
        var decision = await checks.CheckAsync(userId.Value, organizationId.Value, permission, RequestMetadata.From(context.HttpContext),
            context.HttpContext.RequestAborted);
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
