using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Auth.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

using Grpc.Core;

using Npgsql;

namespace Giia.Tests.Authorization;

/// <summary>GetUser needs users:read beyond oneself; cross-user checks are audited in the caller's log; batches are bounded; suspension stops everything.</summary>
[Collection(GiiaSystem.Name)]
public sealed class AuthGrpcRulesTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task GetUser_answers_oneself_to_any_member_and_others_only_with_users_read()
    {
        using var auth = new AuthApi(fixture);
        var (admin, adminTokens) = await auth.RegisterVerifiedAsync();
        var (viewer, viewerTokens) = await auth.InviteAndSignInAsync(adminTokens.AccessToken, "Viewer");
        var (analyst, _) = await auth.InviteAndSignInAsync(adminTokens.AccessToken, "Analyst");
        using var channel = fixture.CreateGrpcChannel("auth");
        var client = new AuthService.AuthServiceClient(channel);
        var organization = admin.OrganizationId.ToString();

        var self = await client.GetUserAsync(new GetUserRequest { UserId = viewer.ToString(), OrganizationId = organization }, AuthApi.Bearer(viewerTokens.AccessToken));
        Assert.Equal(viewer.ToString(), self.User.Id);
        var other = await Assert.ThrowsAsync<RpcException>(() => client.GetUserAsync(
            new GetUserRequest { UserId = analyst.ToString(), OrganizationId = organization }, AuthApi.Bearer(viewerTokens.AccessToken)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
        Assert.Contains("users:read", other.Status.Detail, StringComparison.Ordinal);
        var byAdmin = await client.GetUserAsync(new GetUserRequest { UserId = analyst.ToString(), OrganizationId = organization }, AuthApi.Bearer(adminTokens.AccessToken));
        Assert.Equal(["Analyst"], byAdmin.User.Roles);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.GetUserAsync(
            new GetUserRequest { UserId = viewer.ToString(), OrganizationId = organization }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);

        // A deactivated user's still-unexpired token no longer answers even about themselves: deactivation ended its session.
        using (var deactivate = await auth.SendAsync(HttpMethod.Post, $"/api/users/{viewer}/deactivate", adminTokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        }

        var inactive = await Assert.ThrowsAsync<RpcException>(() => client.GetUserAsync(
            new GetUserRequest { UserId = viewer.ToString(), OrganizationId = organization }, AuthApi.Bearer(viewerTokens.AccessToken)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, inactive.StatusCode);
    }

    [Fact]
    public async Task A_check_about_another_tenants_user_is_refused_and_audited_in_the_callers_organization_only()
    {
        using var auth = new AuthApi(fixture);
        var (callerAdmin, callerTokens) = await auth.RegisterVerifiedAsync();
        var (targetAdmin, targetTokens) = await auth.RegisterVerifiedAsync();
        using var channel = fixture.CreateGrpcChannel("auth");
        var client = new AuthService.AuthServiceClient(channel);
        var permission = $"marker:{Guid.NewGuid():N}"[..30];

        var single = await client.CheckPermissionAsync(new CheckPermissionRequest
        {
            UserId = targetAdmin.UserId.ToString(),
            OrganizationId = targetAdmin.OrganizationId.ToString(),
            Permission = permission,
        }, AuthApi.Bearer(callerTokens.AccessToken));
        Assert.False(single.Allowed);
        var batch = new BatchCheckPermissionsRequest { UserId = targetAdmin.UserId.ToString(), OrganizationId = targetAdmin.OrganizationId.ToString() };
        batch.Permissions.Add(permission);
        Assert.False((await client.BatchCheckPermissionsAsync(batch, AuthApi.Bearer(callerTokens.AccessToken))).Results[permission]);

        var callerLog = await Eventually.UntilAsync(() => AuditOfAsync(auth, callerTokens.AccessToken, permission), rows => rows.Count >= 2,
            TimeSpan.FromSeconds(30), "the refused checks in the caller's audit log");
        Assert.All(callerLog, row =>
        {
            Assert.Equal(callerAdmin.UserId, row.GetProperty("userId").GetGuid());
            Assert.Equal("denied", row.GetProperty("result").GetString());
            Assert.Equal(targetAdmin.UserId.ToString(), row.GetProperty("metadata").GetProperty("targetUserId").GetString());
            Assert.Equal(targetAdmin.OrganizationId.ToString(), row.GetProperty("metadata").GetProperty("targetOrganizationId").GetString());
        });
        Assert.Empty(await AuditOfAsync(auth, targetTokens.AccessToken, permission));
    }

    [Fact]
    public async Task BatchCheckPermissions_takes_at_most_100_permissions()
    {
        using var auth = new AuthApi(fixture);
        var (admin, tokens) = await auth.RegisterVerifiedAsync();
        using var channel = fixture.CreateGrpcChannel("auth");
        var client = new AuthService.AuthServiceClient(channel);
        BatchCheckPermissionsRequest Request(int count)
        {
            var request = new BatchCheckPermissionsRequest { UserId = admin.UserId.ToString(), OrganizationId = admin.OrganizationId.ToString() };
            request.Permissions.AddRange(Enumerable.Range(0, count).Select(i => $"probe:p{i}"));
            return request;
        }

        Assert.Equal(100, (await client.BatchCheckPermissionsAsync(Request(100), AuthApi.Bearer(tokens.AccessToken))).Results.Count);
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => client.BatchCheckPermissionsAsync(Request(101), AuthApi.Bearer(tokens.AccessToken)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Contains("100", tooMany.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suspended_organization_cannot_sign_in_refresh_or_pass_a_check_within_a_second()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var (admin, tokens) = await auth.RegisterVerifiedAsync();
        using var channel = fixture.CreateGrpcChannel("auth");
        var client = new AuthService.AuthServiceClient(channel);
        var check = new CheckPermissionRequest { UserId = admin.UserId.ToString(), OrganizationId = admin.OrganizationId.ToString(), Permission = "catalog:read" };
        Assert.True((await client.CheckPermissionAsync(check, AuthApi.Bearer(tokens.AccessToken))).Allowed);

        await SetStatusAsync(admin.OrganizationId, "Suspended");
        var suspendedAt = DateTimeOffset.UtcNow;
        // The promise is about when a check is asked, not when its answer arrives: no check asked a second or more after
        // the suspension is allowed (a slow answer to a check asked earlier may still say what was true when it was asked).
        CheckPermissionResponse refused;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            var askedAfter = DateTimeOffset.UtcNow - suspendedAt;
            refused = await client.CheckPermissionAsync(check, AuthApi.Bearer(tokens.AccessToken));
            Assert.True(!refused.Allowed || askedAfter < TimeSpan.FromSeconds(1), $"a check asked {askedAfter} after the suspension was allowed");
        }
        while (refused.Allowed);
        Assert.Contains("suspended", refused.Reason, StringComparison.Ordinal);

        using (var login = await auth.PostAsync("/api/auth/login", new { email = admin.Email, password = admin.Password }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
            Assert.Contains("suspended", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var refresh = await auth.PostAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refresh.StatusCode);
        }

        await Eventually.UntilAsync(async () => (await catalog.SendAsync(HttpMethod.Get, "/api/products", tokens.AccessToken)).StatusCode,
            status => status == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(5), "Catalog to refuse the suspended organization");

        // Reinstated: the same session goes on.
        await SetStatusAsync(admin.OrganizationId, "Active");
        await Eventually.UntilAsync(async () => (await client.CheckPermissionAsync(check, AuthApi.Bearer(tokens.AccessToken))).Allowed,
            allowed => allowed, TimeSpan.FromSeconds(5), "the reinstatement to reach permission checks");
        using var again = await auth.PostAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private async Task SetStatusAsync(Guid organizationId, string status)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE organizations SET status = @status WHERE id = @id", connection);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("id", organizationId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task<List<JsonElement>> AuditOfAsync(AuthApi auth, string token, string permission)
    {
        using var response = await auth.GetAsync("/api/audit-logs?action=permission.check&pageSize=100", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. page.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("resource").GetString() == permission)];
    }
}
