using Giia.Auth.Audit;
using Giia.Auth.Organizations;

namespace Giia.Auth.Rbac;

/// <summary>
/// Every permission check of the service, REST and gRPC alike: answered from <see cref="PermissionCache"/>, denied by
/// default, and recorded in the audit log without waiting for the record to be written.
/// </summary>
public sealed class PermissionChecks(PermissionCache cache, SuspendedOrganizations suspended, PermissionCheckAudit audit)
{
    public const string SuspendedReason = "the organization is suspended";

    public async Task<PermissionDecision> CheckAsync(Guid userId, Guid organizationId, string permission, RequestMetadata request,
        CancellationToken cancellationToken)
    {
        var set = await SetOfAsync(userId, organizationId, cancellationToken);
        var decision = Decide(set, permission);
        audit.Record(userId, organizationId, permission, decision, request);
        return decision;
    }

    public async Task<IReadOnlyDictionary<string, PermissionDecision>> CheckManyAsync(Guid userId, Guid organizationId,
        IEnumerable<string> permissions, RequestMetadata request, CancellationToken cancellationToken)
    {
        var set = await SetOfAsync(userId, organizationId, cancellationToken);
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

    /// <summary>
    /// A refusal that needs no lookup: the caller asked about another user or organization. It is recorded in the
    /// caller's own organization with the caller as actor (the target in the metadata), never in the target's log.
    /// </summary>
    public PermissionDecision Refuse(Guid callerId, Guid callerOrganizationId, string permission, string reason, CheckTarget target,
        RequestMetadata request)
    {
        var decision = new PermissionDecision(false, reason);
        audit.Record(callerId, callerOrganizationId, permission, decision, request, target);
        return decision;
    }

    /// <summary>Whether the user is an active member of an active organization (what asking about oneself needs).</summary>
    public async Task<PermissionDecision> MembershipAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken) =>
        await SetOfAsync(userId, organizationId, cancellationToken) switch
        {
            { Suspended: true } => new PermissionDecision(false, SuspendedReason),
            { Member: false } => new PermissionDecision(false, "user is not an active member of the organization"),
            _ => new PermissionDecision(true, "active member"),
        };

    /// <summary>The user's permission set; none at all while their organization is suspended.</summary>
    private async Task<PermissionSet> SetOfAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken) =>
        await suspended.IsSuspendedAsync(organizationId, cancellationToken)
            ? PermissionSet.OfSuspended
            : await cache.GetAsync(userId, organizationId, cancellationToken);

    public static PermissionDecision Decide(PermissionSet set, string permission) => set switch
    {
        { Suspended: true } => new PermissionDecision(false, SuspendedReason),
        { Member: false } => new PermissionDecision(false, "user is not an active member of the organization"),
        _ when set.Names.Contains(permission) => new PermissionDecision(true, "granted by role"),
        _ => new PermissionDecision(false, $"no role of the user grants {permission}"),
    };
}
