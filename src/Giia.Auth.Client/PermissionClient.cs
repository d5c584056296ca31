using System.Collections.Concurrent;
using System.Security.Claims;

using Giia.Auth.Grpc.V1;

using Grpc.Core;

using Microsoft.AspNetCore.Http;

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Client;

/// <summary>
/// Asks Auth's CheckPermission on behalf of the caller, forwarding the caller's own bearer token (Auth answers only
/// about the token's user). Decisions are reused for a second by default, and concurrent misses for one decision share
/// one call (single flight), so a burst costs one round trip and one audit record instead of one per request;
/// revocations reach a service within that second plus Auth's own bound. Any failure to get an answer throws
/// <see cref="AuthorizationUnavailableException"/>: no answer is never an allow.
/// </summary>
public sealed class PermissionClient(AuthService.AuthServiceClient auth, IMemoryCache decisions, IOptions<AuthClientOptions> options)
{
    // Keyed by the token too: a call made with one token never answers for another (a revoked session must not
    // borrow the answer of a live one). The cache below is per decision, as before.
    private readonly ConcurrentDictionary<Flight, Lazy<Task<PermissionVerdict>>> inFlight = new();

    public async Task<PermissionVerdict> CheckAsync(ClaimsPrincipal? user, string? bearerToken, string permission, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(permission);
        if (Claims.UserIdOf(user) is not { } userId || Claims.OrganizationOf(user) is not { } organizationId || string.IsNullOrEmpty(bearerToken))
        {
            return PermissionVerdict.Unauthenticated;
        }

        if (decisions.TryGetValue(new Decision(userId, organizationId, permission), out PermissionVerdict? cached) && cached is not null)
        {
            return cached;
        }

        var flight = new Flight(userId, organizationId, permission, bearerToken);
        var mine = new Lazy<Task<PermissionVerdict>>(() => FlyAsync(flight), LazyThreadSafetyMode.ExecutionAndPublication);
        var shared = inFlight.GetOrAdd(flight, mine);

        // The shared call runs under its own deadline, not under the first caller's token: one caller giving up must
        // not fail the others waiting on the same answer. Each caller stops waiting when its own request ends.
        return await shared.Value.WaitAsync(cancellationToken);
    }

    private async Task<PermissionVerdict> FlyAsync(Flight flight)
    {
        try
        {
            var verdict = await AskAuthAsync(flight);
            var settings = options.Value;
            if (verdict.Outcome != PermissionOutcome.Unauthenticated && settings.DecisionCacheDuration > TimeSpan.Zero)
            {
                decisions.Set(new Decision(flight.UserId, flight.OrganizationId, flight.Permission), verdict, settings.DecisionCacheDuration);
            }

            return verdict;
        }
        finally
        {
            inFlight.TryRemove(flight, out _);
        }
    }

    private async Task<PermissionVerdict> AskAuthAsync(Flight flight)
    {
        CheckPermissionResponse response;
        try
        {
            response = await auth.CheckPermissionAsync(
                new CheckPermissionRequest { UserId = flight.UserId.ToString(), OrganizationId = flight.OrganizationId.ToString(), Permission = flight.Permission },
                new Metadata { { "authorization", $"Bearer {flight.BearerToken}" } },
                deadline: DateTime.UtcNow + options.Value.CallTimeout);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
        {
            return PermissionVerdict.Unauthenticated;
        }
        catch (RpcException ex)
        {
            throw new AuthorizationUnavailableException($"Auth did not answer the permission check ({ex.StatusCode}).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new AuthorizationUnavailableException("Auth could not be reached for the permission check.", ex);
        }

        return new PermissionVerdict(response.Allowed ? PermissionOutcome.Allowed : PermissionOutcome.Denied, response.Reason);
    }

    /// <summary>The raw bearer token of a request, forwarded to Auth with the check.</summary>
    internal static string? BearerTokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    private readonly record struct Decision(Guid UserId, Guid OrganizationId, string Permission);

    private readonly record struct Flight(Guid UserId, Guid OrganizationId, string Permission, string BearerToken);
}
