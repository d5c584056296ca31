using System.Security.Claims;

using Giia.Auth.Grpc.V1;

using Grpc.Core;

using Microsoft.AspNetCore.Http;

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Client;

/// <summary>
/// Asks Auth's CheckPermission on behalf of the caller, forwarding the caller's own bearer token (Auth answers only
/// about the token's user). Decisions are reused for a second by default, so a burst of calls costs one round trip;
/// revocations reach a service within that second plus Auth's own bound. Any failure to get an answer throws
/// <see cref="AuthorizationUnavailableException"/>: no answer is never an allow.
/// </summary>
public sealed class PermissionClient(AuthService.AuthServiceClient auth, IMemoryCache decisions, IOptions<AuthClientOptions> options)
{
    public async Task<PermissionVerdict> CheckAsync(ClaimsPrincipal? user, string? bearerToken, string permission, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(permission);
        if (Claims.UserIdOf(user) is not { } userId || Claims.OrganizationOf(user) is not { } organizationId || string.IsNullOrEmpty(bearerToken))
        {
            return PermissionVerdict.Unauthenticated;
        }

        var key = (userId, organizationId, permission);
        if (decisions.TryGetValue(key, out PermissionVerdict? cached) && cached is not null)
        {
            return cached;
        }

        var settings = options.Value;
        CheckPermissionResponse response;
        try
        {
            response = await auth.CheckPermissionAsync(
                new CheckPermissionRequest { UserId = userId.ToString(), OrganizationId = organizationId.ToString(), Permission = permission },
                new Metadata { { "authorization", $"Bearer {bearerToken}" } },
                deadline: DateTime.UtcNow + settings.CallTimeout,
                cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
        {
            return PermissionVerdict.Unauthenticated;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuthorizationUnavailableException($"Auth did not answer the permission check ({ex.StatusCode}).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new AuthorizationUnavailableException("Auth could not be reached for the permission check.", ex);
        }

        var outcome = new PermissionVerdict(response.Allowed ? PermissionOutcome.Allowed : PermissionOutcome.Denied, response.Reason);
        if (settings.DecisionCacheDuration > TimeSpan.Zero)
        {
            decisions.Set(key, outcome, settings.DecisionCacheDuration);
        }

        return outcome;
    }

    /// <summary>The raw bearer token of a request, forwarded to Auth with the check.</summary>
    internal static string? BearerTokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }
}
