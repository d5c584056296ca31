using System.Security.Claims;

using Microsoft.AspNetCore.Http;

namespace Giia.Auth.Client;

/// <summary>Outside Auth: every requirement is Auth's CheckPermission for the caller, asked with the caller's own token.</summary>
internal sealed class RemotePermissionEvaluator(PermissionClient client) : IPermissionEvaluator
{
    public async ValueTask<PermissionVerdict> EvaluateAsync(ClaimsPrincipal user, HttpContext request, string permission, CancellationToken cancellationToken) =>
        await client.CheckAsync(user, PermissionClient.BearerTokenOf(request.Request), permission, cancellationToken);
}
