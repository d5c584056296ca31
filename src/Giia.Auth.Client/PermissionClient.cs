using System.Collections.Concurrent;
using System.Security.Claims;

using Giia.Auth.Client.Invalidation;
using Giia.Auth.Grpc.V1;

using Grpc.Core;

using Microsoft.AspNetCore.Http;

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Client;

/// <summary>
/// Asks Auth's CheckPermission on behalf of the caller, forwarding the caller's own bearer token (Auth answers only
/// about the token's user). Decisions are reused per token, keyed by the versions of <see cref="DecisionStamps"/>:
/// Auth's notice of a change (a session ended, a role revoked) replaces a version and the decisions made under the old
/// one are never used again, so they may be remembered long (<see cref="AuthClientOptions.DecisionCacheDuration"/>);
/// while notices cannot be trusted a decision is used only while it is younger than
/// <see cref="AuthClientOptions.FallbackDecisionCacheDuration"/>. Concurrent misses for one decision share one call
/// (single flight). Any failure to get an answer throws <see cref="AuthorizationUnavailableException"/>: no answer is
/// never an allow.
/// </summary>
public sealed class PermissionClient(AuthService.AuthServiceClient auth, IMemoryCache decisions, DecisionStamps stamps, TimeProvider time,
    IOptions<AuthClientOptions> options)
{
    // Both the in-flight calls and the remembered decisions are keyed by the token too: an answer given for one token
    // never answers for another (a revoked session must not borrow the answer of a live one, nor its cached one), and
    // an older call for another token can never overwrite a newer decision. The stamp in the key does the same for
    // time: a caller that arrives after a notice starts a new call instead of joining one made before it.
    private readonly ConcurrentDictionary<Decision, Lazy<Task<PermissionVerdict>>> inFlight = new();

    public async Task<PermissionVerdict> CheckAsync(ClaimsPrincipal? user, string? bearerToken, string permission, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(permission);
        if (Claims.UserIdOf(user) is not { } userId || Claims.OrganizationOf(user) is not { } organizationId || string.IsNullOrEmpty(bearerToken))
        {
            return PermissionVerdict.Unauthenticated;
        }

        var decision = new Decision(userId, organizationId, permission, bearerToken, stamps.StampOf(userId, organizationId, Claims.SessionOf(user)));
        if (decisions.TryGetValue(decision, out Remembered? remembered) && remembered is not null
            && (stamps.IsLive || time.GetElapsedTime(remembered.At) <= options.Value.FallbackDecisionCacheDuration))
        {
            return remembered.Verdict;
        }

        Lazy<Task<PermissionVerdict>>? mine = null;
        mine = new Lazy<Task<PermissionVerdict>>(() => FlyAsync(decision, mine!), LazyThreadSafetyMode.ExecutionAndPublication);
        var shared = inFlight.GetOrAdd(decision, mine);
        var answer = shared.Value;
        if (ReferenceEquals(shared, mine))
        {
            // Every waiter may have left before a failure arrives; observe it here so it is not an unobserved exception.
            _ = answer.ContinueWith(static call => call.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        // The shared call runs under its own deadline, not under the first caller's token: one caller giving up must
        // not fail the others waiting on the same answer. Each caller stops waiting when its own request ends.
        return await answer.WaitAsync(cancellationToken);
    }

    private async Task<PermissionVerdict> FlyAsync(Decision decision, Lazy<Task<PermissionVerdict>> flight)
    {
        try
        {
            var asked = time.GetTimestamp();
            var verdict = await AskAuthAsync(decision);
            var settings = options.Value;
            var duration = stamps.IsLive ? settings.DecisionCacheDuration : settings.FallbackDecisionCacheDuration;
            if (verdict.Outcome != PermissionOutcome.Unauthenticated && duration > TimeSpan.Zero)
            {
                // Aged from when Auth was asked, not from when it answered: the answer may be that old.
                decisions.Set(decision, new Remembered(verdict, asked), duration);
            }

            return verdict;
        }
        finally
        {
            inFlight.TryRemove(KeyValuePair.Create(decision, flight));
        }
    }

    private async Task<PermissionVerdict> AskAuthAsync(Decision decision)
    {
        CheckPermissionResponse response;
        try
        {
            response = await auth.CheckPermissionAsync(
                new CheckPermissionRequest { UserId = decision.UserId.ToString(), OrganizationId = decision.OrganizationId.ToString(), Permission = decision.Permission },
                new Metadata { { "authorization", $"Bearer {decision.BearerToken}" } },
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

    private readonly record struct Decision(Guid UserId, Guid OrganizationId, string Permission, string BearerToken, DecisionStamp Stamp);

    private sealed record Remembered(PermissionVerdict Verdict, long At);
}
