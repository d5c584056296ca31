using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Giia.Auth.Client;

/// <summary>
/// Declares that an endpoint, a gRPC method or a whole gRPC service needs an authenticated caller holding
/// <paramref name="permission"/>. ASP.NET Core's authorization middleware evaluates it before the request body is
/// read; several of them on one endpoint all apply.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequirePermissionAttribute(string permission) : Attribute, IAuthorizationRequirementData
{
    private readonly IAuthorizationRequirement[] requirements = [new DenyAnonymousAuthorizationRequirement(), new PermissionRequirement(permission)];

    public string Permission => permission;

    public IEnumerable<IAuthorizationRequirement> GetRequirements() => requirements;
}
