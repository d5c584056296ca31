using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Auth.Grpc.V1;
using Giia.Tests.Infrastructure;

using Grpc.Core;

namespace Giia.Tests.Auth;

/// <summary>Lockout, tenant isolation, deactivation that takes effect at once, and the gRPC contract.</summary>
[Collection(GiiaSystem.Name)]
public sealed class AccessControlTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Repeated_failures_lock_the_login_even_for_the_right_password()
    {
        using var auth = new AuthApi(fixture);
        var (account, _) = await auth.RegisterVerifiedAsync();

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await auth.PostAsync("/api/auth/login", new { email = account.Email, password = $"wrong guess {i}" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var locked = await auth.PostAsync("/api/auth/login", new { email = account.Email, password = account.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.True(locked.Headers.RetryAfter is not null, "a locked login says when to retry");

        // An unknown email gets exactly the answer a wrong password gets.
        using var unknown = await auth.PostAsync("/api/auth/login", new { email = AuthApi.NewEmail("ghost"), password = "whatever it is" });
        using var wrongPassword = await auth.PostAsync("/api/auth/login", new { email = (await auth.RegisterVerifiedAsync()).Account.Email, password = "not it at all" });
        Assert.Equal(wrongPassword.StatusCode, unknown.StatusCode);
        Assert.Equal(await Detail(wrongPassword), await Detail(unknown));
    }

    [Fact]
    public async Task Users_of_one_organization_never_see_or_change_another_organizations_users()
    {
        using var auth = new AuthApi(fixture);
        var (adminA, tokensA) = await auth.RegisterVerifiedAsync();
        var (adminB, tokensB) = await auth.RegisterVerifiedAsync();

        // A invites X as a Viewer; X picks a password through the mailed link.
        var xEmail = AuthApi.NewEmail("invited");
        Guid xId;
        using (var invited = await auth.PostAsync("/api/users", new { email = xEmail, name = "Xavier", role = "Viewer" }, tokensA.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
            xId = (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        var resetToken = await auth.TokenFromMailAsync(xEmail, "reset-password");
        using (var chosen = await auth.PostAsync("/api/auth/reset-password", new { token = resetToken, newPassword = "xaviers own passphrase" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, chosen.StatusCode);
        }

        var tokensX = await auth.LoginAsync(xEmail, "xaviers own passphrase");

        // B sees nothing of A's organization.
        using (var get = await auth.GetAsync($"/api/users/{xId}", tokensB.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        using (var list = await auth.GetAsync("/api/users?pageSize=100", tokensB.AccessToken))
        {
            var ids = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetGuid());
            Assert.DoesNotContain(xId, ids);
            Assert.Contains(adminB.UserId, ids);
        }

        using (var deactivate = await auth.PostAsync($"/api/users/{xId}/deactivate", new { }, tokensB.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, deactivate.StatusCode);
        }

        // A viewer cannot administer users.
        using (var viewerList = await auth.GetAsync("/api/users", tokensX.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, viewerList.StatusCode);
        }

        // gRPC GetUser: only within the caller's own organization.
        using var channel = fixture.CreateGrpcChannel("auth");
        var client = new AuthService.AuthServiceClient(channel);
        var own = await client.GetUserAsync(new GetUserRequest { UserId = xId.ToString(), OrganizationId = adminA.OrganizationId.ToString() },
            AuthApi.Bearer(tokensA.AccessToken));
        Assert.Equal(xEmail, own.User.Email);
        Assert.Equal(["Viewer"], own.User.Roles);
        var denied = await Assert.ThrowsAsync<RpcException>(() => client.GetUserAsync(
            new GetUserRequest { UserId = xId.ToString(), OrganizationId = adminA.OrganizationId.ToString() }, AuthApi.Bearer(tokensB.AccessToken)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetUserAsync(
            new GetUserRequest { UserId = adminB.UserId.ToString(), OrganizationId = adminA.OrganizationId.ToString() }, AuthApi.Bearer(tokensA.AccessToken)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var malformed = await Assert.ThrowsAsync<RpcException>(() => client.GetUserAsync(
            new GetUserRequest { UserId = "not-a-uuid", OrganizationId = adminA.OrganizationId.ToString() }, AuthApi.Bearer(tokensA.AccessToken)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.GetUserAsync(
            new GetUserRequest { UserId = xId.ToString(), OrganizationId = adminA.OrganizationId.ToString() }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);

        // Deactivation by A's administrator ends X's access at once: access token, refresh token, ValidateToken.
        using (var deactivated = await auth.PostAsync($"/api/users/{xId}/deactivate", new { }, tokensA.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        using (var me = await auth.GetAsync("/api/users/me", tokensX.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }

        using (var refresh = await auth.PostAsync("/api/auth/refresh", new { refreshToken = tokensX.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        }

        var validation = await client.ValidateTokenAsync(new ValidateTokenRequest { Token = tokensX.AccessToken });
        Assert.False(validation.Valid);
    }

    [Fact]
    public async Task Reflection_lists_the_auth_service()
    {
        using var channel = fixture.CreateGrpcChannel("auth");
        var services = await ServiceProbes.ReflectedServicesAsync(channel);

        Assert.Contains("auth.v1.AuthService", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }

    private static async Task<string?> Detail(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
}
