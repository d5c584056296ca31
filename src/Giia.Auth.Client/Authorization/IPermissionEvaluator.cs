using System.Security.Claims;

using Microsoft.AspNetCore.Http;

namespace Giia.Auth.Client;

/// <summary>
/// Answers a <see cref="PermissionRequirement"/>: inside Auth from its own permission store, in every other service
/// through Auth's CheckPermission. Throws <see cref="AuthorizationUnavailableException"/> when it cannot answer.
/// </summary>
public interface IPermissionEvaluator
{
    ValueTask<PermissionVerdict> EvaluateAsync(ClaimsPrincipal user, HttpContext request, string permission, CancellationToken cancellationToken);
}
