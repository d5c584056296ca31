using System.Security.Claims;

using Giia.Auth.Audit;

namespace Giia.Auth.Rbac;

/// <summary>
/// Inside Auth, a <see cref="PermissionRequirement"/> is answered from Auth's own permission store, through the same
/// <see cref="PermissionChecks"/> (cache, audit) that answers other services' CheckPermission.
/// </summary>
public sealed class LocalPermissionEvaluator(PermissionChecks checks) : IPermissionEvaluator
{
    public async ValueTask<PermissionVerdict> EvaluateAsync(ClaimsPrincipal user, HttpContext request, string permission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Claims.UserIdOf(user) is not { } userId || Claims.OrganizationOf(user) is not { } organizationId)
        {
            return PermissionVerdict.Unauthenticated;
        }

        var decision = await checks.CheckAsync(userId, organizationId, permission, RequestMetadata.From(request), cancellationToken);
        return new PermissionVerdict(decision.Allowed ? PermissionOutcome.Allowed : PermissionOutcome.Denied, decision.Reason);
    }
}
