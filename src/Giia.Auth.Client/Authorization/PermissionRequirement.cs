using Microsoft.AspNetCore.Authorization;

namespace Giia.Auth.Client;

/// <summary>The caller must hold <see cref="Permission"/> in their own organization (answered by <see cref="IPermissionEvaluator"/>).</summary>
public sealed class PermissionRequirement(string permission) : IAuthorizationRequirement
{
    public string Permission { get; } = !string.IsNullOrWhiteSpace(permission) ? permission : throw new ArgumentException("a permission name is required", nameof(permission));

    public override string ToString() => $"permission {Permission}";
}
