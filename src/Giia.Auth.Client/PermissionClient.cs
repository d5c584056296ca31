using System.Security.Claims;

using Giia.Auth.Grpc.V1;

using Grpc.Core;

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Client;

public enum PermissionOutcome
{
    Allowed,
    Denied,
    Unauthenticated,
}

/// <summary>Auth could not answer in time: the caller must refuse the operation (fail closed), never allow it.</summary>
public sealed class AuthorizationUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Asks Auth's CheckPermission on behalf of the caller, forwarding the caller's own bearer token (Auth answers only
/// about the token's user). Decisions are reused for a second by default, so a burst of calls costs one round trip;
/// revocations reach a service within that second plus Auth's own bound. Any failure to get an answer throws
/// <see cref="AuthorizationUnavailableException"/>: no answer is never an allow.
/// </summary>
public sealed class PermissionClient(AuthService.AuthServiceClient auth, IMemoryCache decisions, IOptions<AuthClientOptions> options)
{
    public const string UserIdClaim = "sub";
    public const string OrganizationClaim = "org_id";

    public static Guid? OrganizationOf(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirst(OrganizationClaim)?.Value, out var id) ? id : null;

    public static Guid? UserIdOf(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirst(UserIdClaim)?.Value, out var id) ? id : null;

    public async Task<PermissionOutcome> CheckAsync(ClaimsPrincipal? user, string? bearerToken, string permission, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(permission);
        if (UserIdOf(user) is not { } userId || OrganizationOf(user) is not { } organizationId || string.IsNullOrEmpty(bearerToken))
        {
            return PermissionOutcome.Unauthenticated;
        }

        var key = (userId, organizationId, permission);
        if (decisions.TryGetValue(key, out PermissionOutcome cached))
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
            return PermissionOutcome.Unauthenticated;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuthorizationUnavailableException($"Auth did not answer the permission check ({ex.StatusCode}).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new AuthorizationUnavailableException("Auth could not be reached for the permission check.", ex);
        }

        var outcome = response.Allowed ? PermissionOutcome.Allowed : PermissionOutcome.Denied;
        if (settings.DecisionCacheDuration > TimeSpan.Zero)
        {
            decisions.Set(key, outcome, settings.DecisionCacheDuration);
        }

        return outcome;
    }
}
