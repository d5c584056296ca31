using System.Security.Claims;
using System.Text.Encodings.Web;

using Giia.Auth.Rbac;

using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Tokens;

/// <summary>
/// Bearer authentication of gRPC calls (the token in the <c>authorization</c> metadata) with the rules of every
/// service and <see cref="AccessTokens"/>' memory of tokens already validated, so a caller's stream of
/// CheckPermission calls does not pay a signature check or a database round trip each. The token's session must be
/// live (<see cref="PermissionCache.IsSessionLiveAsync"/>): an ended one is refused at once. Whether the user is still an
/// active member of an active organization is part of every permission answer.
/// </summary>
public sealed class GrpcBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokens tokens, PermissionCache sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var result = await tokens.ValidateAsync(header[scheme.Length..].Trim());
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail($"invalid token: {result.Exception?.Message}");
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        return await sessions.IsLiveAsync(principal, Context.RequestAborted) is { } ended
            ? AuthenticateResult.Fail(ended)
            : AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
