using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Auth.Client.Invalidation;
using Giia.Auth.Grpc.V1;

using Microsoft.Extensions.Time.Testing;

namespace Giia.UnitTests;

/// <summary>
/// Decisions are remembered long while Auth's notices arrive, and a notice ends them at once; without notices they
/// are remembered only briefly. Auth is scripted (<see cref="ScriptedAuth"/>); time is a fake clock.
/// </summary>
public sealed class PermissionClientInvalidationTests
{
    private static readonly Guid Publisher = Guid.NewGuid();
    private static readonly Guid UserId = Guid.NewGuid();
    private static readonly Guid OrganizationId = Guid.NewGuid();
    private static readonly Guid SessionA = Guid.NewGuid();
    private static readonly Guid SessionB = Guid.NewGuid();

    private static ClaimsPrincipal Caller(Guid session) => new(new ClaimsIdentity(
        [
            new Claim(Claims.Subject, UserId.ToString()), new Claim(Claims.OrganizationId, OrganizationId.ToString()),
            new Claim(Claims.SessionId, session.ToString()),
        ], "test"));

    private static async Task<PermissionVerdict> CheckAnsweredAsync(PermissionClient client, ScriptedAuth auth, Guid session, string token, bool allowed)
    {
        var check = client.CheckAsync(Caller(session), token, Permissions.CatalogRead, CancellationToken.None);
        auth.Answer(new CheckPermissionResponse { Allowed = allowed, Reason = allowed ? "granted" : "revoked" });
        return await check;
    }

    private static (PermissionClient Client, ScriptedAuth Auth, DecisionStamps Stamps, FakeTimeProvider Time) Live()
    {
        var time = new FakeTimeProvider();
        var stamps = new DecisionStamps(time) { Subscribed = true, Connected = true };
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, Publisher, 0));
        var auth = new ScriptedAuth();
        return (auth.Client(stamps, time), auth, stamps, time);
    }

    [Fact]
    public async Task While_notices_arrive_a_decision_is_reused_long_and_a_session_notice_ends_it_at_once()
    {
        var (client, auth, stamps, time) = Live();
        Assert.True((await CheckAnsweredAsync(client, auth, SessionA, "token-a", allowed: true)).Allowed);
        Assert.True((await CheckAnsweredAsync(client, auth, SessionB, "token-b", allowed: true)).Allowed);

        time.Advance(TimeSpan.FromSeconds(20));
        stamps.Apply(new InvalidationNotice(InvalidationKinds.Heartbeat, Publisher, 0));
        Assert.True((await client.CheckAsync(Caller(SessionA), "token-a", Permissions.CatalogRead, CancellationToken.None)).Allowed);
        Assert.Equal(2, auth.Calls);

        stamps.Apply(new InvalidationNotice(InvalidationKinds.Session, Publisher, 1, UserId: UserId, SessionId: SessionA));

        Assert.Equal(PermissionOutcome.Denied, (await CheckAnsweredAsync(client, auth, SessionA, "token-a", allowed: false)).Outcome);
        Assert.Equal(3, auth.Calls);
        // The user's other session keeps its remembered decision.
        Assert.True((await client.CheckAsync(Caller(SessionB), "token-b", Permissions.CatalogRead, CancellationToken.None)).Allowed);
        Assert.Equal(3, auth.Calls);
    }

    [Fact]
    public async Task A_user_notice_ends_every_decision_of_that_user()
    {
        var (client, auth, stamps, _) = Live();
        await CheckAnsweredAsync(client, auth, SessionA, "token-a", allowed: true);
        await CheckAnsweredAsync(client, auth, SessionB, "token-b", allowed: true);

        stamps.Apply(new InvalidationNotice(InvalidationKinds.User, Publisher, 1, UserId: UserId));

        Assert.Equal(PermissionOutcome.Denied, (await CheckAnsweredAsync(client, auth, SessionA, "token-a", allowed: false)).Outcome);
        Assert.Equal(PermissionOutcome.Denied, (await CheckAnsweredAsync(client, auth, SessionB, "token-b", allowed: false)).Outcome);
        Assert.Equal(4, auth.Calls);
    }

    [Fact]
    public async Task Without_notices_a_decision_is_reused_only_for_the_fallback_duration()
    {
        var time = new FakeTimeProvider();
        var auth = new ScriptedAuth();
        var client = auth.Client(new DecisionStamps(time), time);
        await CheckAnsweredAsync(client, auth, SessionA, "token-a", allowed: true);

        time.Advance(TimeSpan.FromMilliseconds(900));
        Assert.True((await client.CheckAsync(Caller(SessionA), "token-a", Permissions.CatalogRead, CancellationToken.None)).Allowed);
        Assert.Equal(1, auth.Calls);

        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(PermissionOutcome.Denied, (await CheckAnsweredAsync(client, auth, SessionA, "token-a", allowed: false)).Outcome);
        Assert.Equal(2, auth.Calls);
    }

    [Fact]
    public async Task A_decision_remembered_long_is_cut_short_when_notices_stop()
    {
        var (client, auth, stamps, time) = Live();
        await CheckAnsweredAsync(client, auth, SessionA, "token-a", allowed: true);

        // Auth goes quiet (its notices may be lost from here on): the decision, 1.5 s old, is not used any more.
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.False(stamps.IsLive);

        Assert.Equal(PermissionOutcome.Denied, (await CheckAnsweredAsync(client, auth, SessionA, "token-a", allowed: false)).Outcome);
        Assert.Equal(2, auth.Calls);
    }

    [Fact]
    public async Task A_caller_after_a_notice_does_not_join_a_call_made_before_it()
    {
        var (client, auth, stamps, _) = Live();
        var before = client.CheckAsync(Caller(SessionA), "token-a", Permissions.CatalogRead, CancellationToken.None);

        stamps.Apply(new InvalidationNotice(InvalidationKinds.Session, Publisher, 1, UserId: UserId, SessionId: SessionA));
        var after = client.CheckAsync(Caller(SessionA), "token-a", Permissions.CatalogRead, CancellationToken.None);

        Assert.Equal(2, auth.Calls);
        auth.Answer(new CheckPermissionResponse { Allowed = false, Reason = "revoked" });
        await Task.WhenAll(before, after);
    }
}
