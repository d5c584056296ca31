using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Auth.Grpc.V1;

using Grpc.Core;

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Giia.UnitTests;

/// <summary>
/// Concurrent misses for one decision share one CheckPermission call. Auth is a scripted call invoker here: what is
/// under test is how the client coalesces calls, not Auth (the integration tests drive the real one).
/// </summary>
public sealed class PermissionClientSingleFlightTests
{
    private static readonly ClaimsPrincipal Caller = new(new ClaimsIdentity(
        [new Claim(Claims.Subject, Guid.NewGuid().ToString()), new Claim(Claims.OrganizationId, Guid.NewGuid().ToString())], "test"));

    [Fact]
    public async Task Twenty_concurrent_misses_for_one_decision_make_one_call_and_all_get_its_answer()
    {
        var auth = new ScriptedAuth();
        var client = auth.Client();

        var checks = Enumerable.Range(0, 20).Select(_ => client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None)).ToArray();
        auth.Answer(new CheckPermissionResponse { Allowed = true, Reason = "allowed" });
        var verdicts = await Task.WhenAll(checks);

        Assert.Equal(1, auth.Calls);
        Assert.All(verdicts, verdict => Assert.True(verdict.Allowed));
    }

    [Fact]
    public async Task Calls_with_different_tokens_are_never_shared()
    {
        var auth = new ScriptedAuth();
        var client = auth.Client();

        var first = client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None);
        var second = client.CheckAsync(Caller, "token-b", Permissions.CatalogRead, CancellationToken.None);
        auth.Answer(new CheckPermissionResponse { Allowed = true, Reason = "allowed" });
        await Task.WhenAll(first, second);

        Assert.Equal(2, auth.Calls);
        Assert.Equal(["Bearer token-a", "Bearer token-b"], auth.Authorizations.Order());
    }

    [Fact]
    public async Task One_caller_giving_up_does_not_fail_the_others_waiting_on_the_same_call()
    {
        var auth = new ScriptedAuth();
        var client = auth.Client();
        using var leaving = new CancellationTokenSource();

        var leaver = client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, leaving.Token);
        var stayer = client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaver);
        auth.Answer(new CheckPermissionResponse { Allowed = true, Reason = "allowed" });

        Assert.True((await stayer).Allowed);
        Assert.Equal(1, auth.Calls);
    }

    [Fact]
    public async Task A_failed_call_fails_closed_for_every_waiter_and_is_not_remembered()
    {
        var auth = new ScriptedAuth();
        var client = auth.Client();

        var checks = Enumerable.Range(0, 5).Select(_ => client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None)).ToArray();
        auth.Fail(new RpcException(new Status(StatusCode.Unavailable, "no replica")));
        foreach (var check in checks)
        {
            await Assert.ThrowsAsync<AuthorizationUnavailableException>(() => check);
        }

        var retry = client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None);
        auth.Answer(new CheckPermissionResponse { Allowed = false, Reason = "missing permission" });

        Assert.Equal(PermissionOutcome.Denied, (await retry).Outcome);
        Assert.Equal(2, auth.Calls);
    }

    [Fact]
    public async Task A_decision_remembered_for_one_token_does_not_answer_for_another()
    {
        var auth = new ScriptedAuth();
        var client = auth.Client();

        var live = client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None);
        auth.Answer(new CheckPermissionResponse { Allowed = true, Reason = "allowed" });
        Assert.True((await live).Allowed);
        var revoked = client.CheckAsync(Caller, "token-b", Permissions.CatalogRead, CancellationToken.None);
        auth.Answer(new CheckPermissionResponse { Allowed = false, Reason = "session revoked" });

        Assert.Equal(PermissionOutcome.Denied, (await revoked).Outcome);
        Assert.True((await client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None)).Allowed);
        Assert.Equal(2, auth.Calls);
    }

    [Fact]
    public async Task An_unauthenticated_answer_is_never_remembered()
    {
        var auth = new ScriptedAuth();
        var client = auth.Client();

        var first = client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None);
        auth.Fail(new RpcException(new Status(StatusCode.Unauthenticated, "session ended")));
        Assert.Equal(PermissionOutcome.Unauthenticated, (await first).Outcome);
        var second = client.CheckAsync(Caller, "token-a", Permissions.CatalogRead, CancellationToken.None);
        auth.Fail(new RpcException(new Status(StatusCode.Unauthenticated, "session ended")));

        Assert.Equal(PermissionOutcome.Unauthenticated, (await second).Outcome);
        Assert.Equal(2, auth.Calls);
    }
}
