using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Auth.Grpc.V1;
using Giia.Tests.Authorization;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

using Grpc.Core;

namespace Giia.Tests.Auth;

/// <summary>
/// Every way a session ends makes its access token useless at once at Auth (both instances, REST and gRPC) and at
/// Catalog within a second, although Catalog remembers allowed decisions for 30 s: Auth's notice evicts them.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class SessionTerminationTests(GiiaAppFixture fixture)
{
    /// <summary>The bound the tests hold Catalog to (the benchmark measures the real figure).</summary>
    private static readonly TimeSpan CatalogBound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Logout_is_refused_everywhere()
    {
        using var auth = new AuthApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        await WarmAsync(tokens.AccessToken);

        using (var logout = await auth.PostAsync("/api/auth/logout", new { refreshToken = tokens.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await AssertEndedAsync(tokens.AccessToken);
    }

    [Fact]
    public async Task Revoking_ones_own_session_is_refused_everywhere_and_leaves_the_other_session()
    {
        using var auth = new AuthApi(fixture);
        var (account, first) = await auth.RegisterVerifiedAsync();
        var second = await auth.LoginAsync(account.Email, account.Password);
        await WarmAsync(first.AccessToken);
        await WarmAsync(second.AccessToken);
        var firstSession = await CurrentSessionAsync(auth, first.AccessToken);

        using (var revoked = await auth.SendAsync(HttpMethod.Delete, $"/api/auth/sessions/{firstSession}", second.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        await AssertEndedAsync(first.AccessToken);
        await AssertWorksAsync(second.AccessToken);
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_keeps_the_one_that_asked()
    {
        using var auth = new AuthApi(fixture);
        var (account, asking) = await auth.RegisterVerifiedAsync();
        var other = await auth.LoginAsync(account.Email, account.Password);
        await WarmAsync(asking.AccessToken);
        await WarmAsync(other.AccessToken);

        using (var changed = await auth.PostAsync("/api/auth/change-password",
            new { currentPassword = account.Password, newPassword = "a brand new passphrase" }, asking.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        await AssertEndedAsync(other.AccessToken);
        await AssertWorksAsync(asking.AccessToken);
    }

    [Fact]
    public async Task A_password_reset_ends_every_session()
    {
        using var auth = new AuthApi(fixture);
        var (account, tokens) = await auth.RegisterVerifiedAsync();
        await WarmAsync(tokens.AccessToken);

        using (var forgot = await auth.PostAsync("/api/auth/forgot-password", new { email = account.Email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        var reset = await auth.TokenFromMailAsync(account.Email, "reset-password");
        using (var done = await auth.PostAsync("/api/auth/reset-password", new { token = reset, newPassword = "a reset passphrase here" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        }

        await AssertEndedAsync(tokens.AccessToken);
    }

    [Fact]
    public async Task Deactivation_is_refused_everywhere()
    {
        using var auth = new AuthApi(fixture);
        var (_, admin) = await auth.RegisterVerifiedAsync();
        var (member, memberTokens) = await auth.InviteAndSignInAsync(admin.AccessToken, "Analyst");
        await WarmAsync(memberTokens.AccessToken);

        using (var deactivated = await auth.PostAsync($"/api/users/{member}/deactivate", new { }, admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        await AssertEndedAsync(memberTokens.AccessToken, ended: "not active");
    }

    [Fact]
    public async Task An_administrator_lists_and_ends_one_or_all_of_a_users_sessions_within_the_level_rules()
    {
        using var auth = new AuthApi(fixture);
        var (_, admin) = await auth.RegisterVerifiedAsync();
        var (manager, _) = await auth.InviteAndSignInAsync(admin.AccessToken, "Manager");
        // Ops may end sessions, at the Analyst's level: not a Manager's.
        await new RbacApi(auth).CreateRoleAsync(admin.AccessToken, "Ops", 3, "users:activate");
        var (_, ops) = await auth.InviteAndSignInAsync(admin.AccessToken, "Ops");
        var (analyst, analystFirst) = await auth.InviteAndSignInAsync(admin.AccessToken, "Analyst");
        var analystEmail = await EmailOfAsync(auth, admin.AccessToken, analyst);
        var analystSecond = await auth.LoginAsync(analystEmail, "member passphrase one");
        var analystThird = await auth.LoginAsync(analystEmail, "member passphrase one");
        await WarmAsync(analystFirst.AccessToken);
        await WarmAsync(analystSecond.AccessToken);

        using (var listed = await auth.GetAsync($"/api/users/{analyst}/sessions", admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
            var sessions = await listed.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(3, sessions.GetArrayLength());
            Assert.All(sessions.EnumerateArray(), s => Assert.False(s.GetProperty("current").GetBoolean()));
        }

        // Lower roles, other organizations, users above one's level, sessions that do not exist.
        var (_, outsider) = await auth.RegisterVerifiedAsync();
        var (_, viewer) = await auth.InviteAndSignInAsync(admin.AccessToken, "Viewer");
        using (var byViewer = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{analyst}/sessions", viewer.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        }

        using (var byOutsider = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{analyst}/sessions", outsider.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, byOutsider.StatusCode);
        }

        using (var outsiderList = await auth.GetAsync($"/api/users/{analyst}/sessions", outsider.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, outsiderList.StatusCode);
        }

        using (var opsOnManager = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{manager}/sessions", ops.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, opsOnManager.StatusCode);
        }

        using (var opsListsManager = await auth.GetAsync($"/api/users/{manager}/sessions", ops.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, opsListsManager.StatusCode);
        }

        using (var unknown = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{analyst}/sessions/{Guid.NewGuid()}", admin.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        }

        await AssertWorksAsync(admin.AccessToken);
        await AssertWorksAsync(analystFirst.AccessToken);

        // One session, by Ops.
        var firstSession = await CurrentSessionAsync(auth, analystFirst.AccessToken);
        using (var one = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{analyst}/sessions/{firstSession}", ops.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }

        await AssertEndedAsync(analystFirst.AccessToken);
        await AssertWorksAsync(analystSecond.AccessToken);

        // All of them, twenty times at once: each answers, none fails, and every session ends.
        var crowd = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var all = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{analyst}/sessions", admin.AccessToken);
            return all.StatusCode;
        }));
        Assert.All(crowd, status => Assert.Equal(HttpStatusCode.OK, status));
        await AssertEndedAsync(analystSecond.AccessToken);
        await AssertEndedAsync(analystThird.AccessToken);
        using (var after = await auth.GetAsync($"/api/users/{analyst}/sessions", admin.AccessToken))
        {
            Assert.Equal(0, (await after.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
        }

        // Ending sessions is not deactivation: the user signs in again.
        await AssertWorksAsync((await auth.LoginAsync(analystEmail, "member passphrase one")).AccessToken);
    }

    [Fact]
    public async Task With_notices_cut_a_revocation_still_reaches_catalog_within_the_short_cache()
    {
        using var auth = new AuthApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        using var catalogHttp = fixture.CreateHttpClient("catalog");
        try
        {
            await fixture.StopResourceAsync("nats");
            await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(catalogHttp),
                r => NoticesStatus(r.Body) == "Degraded",
                TimeSpan.FromSeconds(60), "Catalog to report Auth's notices degraded");
            await WarmAsync(tokens.AccessToken, noticesTrusted: false);

            using (var logout = await auth.PostAsync("/api/auth/logout", new { refreshToken = tokens.RefreshToken }))
            {
                Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            }

            // No notice can arrive; the decision Catalog remembers is used for at most the fallback second.
            await AssertEndedAsync(tokens.AccessToken, catalogBound: CatalogBound + TimeSpan.FromMilliseconds(500));
        }
        finally
        {
            await fixture.StartResourceAsync("nats");
        }

        await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(catalogHttp),
            r => NoticesStatus(r.Body) == "Healthy",
            TimeSpan.FromSeconds(60), "Catalog to trust Auth's notices again after NATS came back");
    }

    /// <summary>Catalog answers the token (twice: the second from its remembered decision), with notices trusted.</summary>
    private async Task WarmAsync(string accessToken, bool noticesTrusted = true)
    {
        if (noticesTrusted)
        {
            using var catalogHttp = fixture.CreateHttpClient("catalog");
            await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(catalogHttp), r => NoticesStatus(r.Body) == "Healthy",
                TimeSpan.FromSeconds(60), "Catalog to trust Auth's notices");
        }

        using var catalog = new CatalogApi(fixture);
        for (var i = 0; i < 2; i++)
        {
            using var products = await catalog.SendAsync(HttpMethod.Get, "/api/products", accessToken);
            Assert.Equal(HttpStatusCode.OK, products.StatusCode);
        }
    }

    private async Task AssertWorksAsync(string accessToken)
    {
        using var auth = new AuthApi(fixture);
        using var me = await auth.GetAsync("/api/users/me", accessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        await WarmAsync(accessToken);
    }

    /// <summary>
    /// Refused by Catalog within the bound (timed from the ending call's return), and by both Auth instances (REST,
    /// ValidateToken, CheckPermission).
    /// </summary>
    private async Task AssertEndedAsync(string accessToken, string ended = "session has ended", TimeSpan? catalogBound = null)
    {
        var clock = Stopwatch.StartNew();
        using var catalog = new CatalogApi(fixture);
        var bound = catalogBound ?? CatalogBound;
        var status = HttpStatusCode.OK;
        do
        {
            using var products = await catalog.SendAsync(HttpMethod.Get, "/api/products", accessToken);
            status = products.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                break;
            }

            await Task.Delay(20);
        }
        while (clock.Elapsed < bound);

        if (status != HttpStatusCode.Unauthorized)
        {
            using var catalogHttp = fixture.CreateHttpClient("catalog");
            var (_, readiness) = await ServiceProbes.ReadinessAsync(catalogHttp);
            Assert.Fail($"Catalog still answered {(int)status} {clock.ElapsedMilliseconds} ms after the session ended (its notices: {NoticesStatus(readiness)})");
        }

        foreach (var instance in new[] { "auth", "auth-2" })
        {
            using var auth = new AuthApi(fixture, instance);
            using var me = await auth.GetAsync("/api/users/me", accessToken);
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);

            using var channel = fixture.CreateGrpcChannel(instance);
            var client = new AuthService.AuthServiceClient(channel);
            var validation = await client.ValidateTokenAsync(new ValidateTokenRequest { Token = accessToken });
            Assert.False(validation.Valid);
            Assert.Contains(ended, validation.Error, StringComparison.Ordinal);
        }

        using (var channel = fixture.CreateGrpcChannel("auth"))
        {
            var claims = TokenClaims(accessToken);
            var refused = await Assert.ThrowsAsync<RpcException>(() => new AuthService.AuthServiceClient(channel).CheckPermissionAsync(
                new CheckPermissionRequest
                {
                    UserId = claims.GetProperty("sub").GetString(),
                    OrganizationId = claims.GetProperty("org_id").GetString(),
                    Permission = "catalog:read",
                }, AuthApi.Bearer(accessToken)).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        }
    }

    private static string? NoticesStatus(JsonElement readiness) => ServiceProbes.Check(readiness, "auth-notices").GetProperty("status").GetString();

    private static async Task<Guid> CurrentSessionAsync(AuthApi auth, string accessToken)
    {
        using var sessions = await auth.GetAsync("/api/auth/sessions", accessToken);
        var list = await sessions.Content.ReadFromJsonAsync<JsonElement>();
        return list.EnumerateArray().Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();
    }

    private static async Task<string> EmailOfAsync(AuthApi auth, string adminToken, Guid user)
    {
        using var response = await auth.GetAsync($"/api/users/{user}", adminToken);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString()!;
    }

    private static JsonElement TokenClaims(string accessToken)
    {
        var payload = accessToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonSerializer.Deserialize<JsonElement>(Convert.FromBase64String(payload));
    }
}
