using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Auth.Grpc.V1;
using Giia.Tests.Infrastructure;

using Npgsql;

namespace Giia.Tests.Auth;

/// <summary>Seeded roles, custom roles, assignment semantics (union, deny by default), and the organization's audit log.</summary>
[Collection(GiiaSystem.Name)]
public sealed class RbacTests(GiiaAppFixture fixture)
{
    private static readonly string[] BuyerPermissions = ["orders:write", "catalog:read"];

    [Fact]
    public async Task Seed_has_the_specs_roles_and_permissions_and_running_it_again_changes_nothing()
    {
        using var auth = new AuthApi(fixture);
        var (_, admin) = await auth.RegisterVerifiedAsync();
        var before = await CountsAsync(auth, admin.AccessToken);

        await using (var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb")))
        {
            await connection.OpenAsync();
            var seed = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root(), "src", "Giia.Auth", "scripts", "seed-roles.sql"));
            for (var i = 0; i < 2; i++)
            {
                await using var command = new NpgsqlCommand(seed, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        var after = await CountsAsync(auth, admin.AccessToken);
        Assert.Equal(before, after);
        Assert.Equal(Giia.Auth.Client.Permissions.All.Count, after.Permissions);
        Assert.Equal(new Dictionary<string, int> { ["Admin"] = 24, ["Manager"] = 10, ["Analyst"] = 4, ["Viewer"] = 3 }, after.SystemRoles);
    }

    [Fact]
    public async Task Permissions_are_the_union_of_roles_deny_by_default_and_changes_are_audited_in_the_organization()
    {
        using var auth = new AuthApi(fixture);
        var (adminA, tokensA) = await auth.RegisterVerifiedAsync();
        var (_, tokensB) = await auth.RegisterVerifiedAsync();
        var (user, userTokens) = await auth.InviteAndSignInAsync(tokensA.AccessToken, "Viewer");

        Assert.Equal(["buffers:read", "catalog:read", "orders:read"], await EffectiveAsync(auth, tokensA.AccessToken, user));

        Guid roleId;
        using (var created = await auth.PostAsync("/api/roles", new { name = "Buyer", description = "Places orders", permissions = BuyerPermissions }, tokensA.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            roleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        using (var assigned = await auth.PostAsync($"/api/users/{user}/roles", new { roleId }, tokensA.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, assigned.StatusCode);
        }

        Assert.Equal(["buffers:read", "catalog:read", "orders:read", "orders:write"], await EffectiveAsync(auth, tokensA.AccessToken, user));
        using var channel = fixture.CreateGrpcChannel("auth");
        var grpc = new AuthService.AuthServiceClient(channel);
        var batch = await grpc.BatchCheckPermissionsAsync(new BatchCheckPermissionsRequest
        {
            UserId = user.ToString(),
            OrganizationId = adminA.OrganizationId.ToString(),
            Permissions = { "orders:write", "catalog:read", "catalog:delete", "nothing:here" },
        }, AuthApi.Bearer(userTokens.AccessToken));
        Assert.True(batch.Results["orders:write"]);
        Assert.True(batch.Results["catalog:read"]);
        Assert.False(batch.Results["catalog:delete"]);
        Assert.False(batch.Results["nothing:here"]);
        Assert.False(string.IsNullOrEmpty(batch.Reasons["nothing:here"]));

        using (var revoked = await auth.Http.DeleteAsync(new Uri($"/api/users/{user}/roles/{roleId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode); // no token, no change
        }

        using (var request = new HttpRequestMessage(HttpMethod.Delete, new Uri($"/api/users/{user}/roles/{roleId}", UriKind.Relative)))
        {
            request.Headers.Authorization = new("Bearer", tokensA.AccessToken);
            using var revoked = await auth.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        Assert.Equal(["buffers:read", "catalog:read", "orders:read"], await EffectiveAsync(auth, tokensA.AccessToken, user));

        // System roles are read-only; another organization cannot see or use A's custom role.
        var roles = await ArrayAsync(auth, "/api/roles", tokensA.AccessToken);
        var adminRole = roles.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "Admin").GetProperty("id").GetGuid();
        using (var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/api/roles/{adminRole}", UriKind.Relative)) { Content = JsonContent.Create(new { name = "Admin", permissions = Array.Empty<string>() }) })
        {
            request.Headers.Authorization = new("Bearer", tokensA.AccessToken);
            using var denied = await auth.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Conflict, denied.StatusCode);
        }

        var rolesB = await ArrayAsync(auth, "/api/roles", tokensB.AccessToken);
        Assert.DoesNotContain(roleId, rolesB.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));

        // A's audit log has the role changes with request metadata; B reads none of A's records.
        var audit = await (await auth.GetAsync($"/api/audit-logs?action=role.assign&pageSize=50", tokensA.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        var assign = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(roleId, assign.GetProperty("resourceId").GetGuid());
        Assert.False(string.IsNullOrEmpty(assign.GetProperty("ipAddress").GetString()));
        Assert.False(string.IsNullOrEmpty(assign.GetProperty("requestId").GetString()));
        var revokes = await (await auth.GetAsync("/api/audit-logs?action=role.revoke", tokensA.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, revokes.GetProperty("total").GetInt64());
        var seenByB = await (await auth.GetAsync($"/api/audit-logs?userId={adminA.UserId}&pageSize=100", tokensB.AccessToken)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, seenByB.GetProperty("total").GetInt64());
        using var viewer = await auth.GetAsync("/api/audit-logs", userTokens.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        using var badPage = await auth.GetAsync("/api/audit-logs?pageSize=1000000", tokensA.AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
    }

    private static async Task<string[]> EffectiveAsync(AuthApi auth, string adminToken, Guid user)
    {
        using var response = await auth.GetAsync($"/api/users/{user}/permissions", adminToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<string[]>())!;
    }

    private sealed record Counts(int Permissions, Dictionary<string, int> SystemRoles)
    {
        public bool Equals(Counts? other) => other is not null && Permissions == other.Permissions
            && SystemRoles.OrderBy(p => p.Key).SequenceEqual(other.SystemRoles.OrderBy(p => p.Key));

        public override int GetHashCode() => Permissions;
    }

    private static async Task<JsonElement> ArrayAsync(AuthApi auth, string path, string token)
    {
        using var response = await auth.GetAsync(path, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<Counts> CountsAsync(AuthApi auth, string adminToken)
    {
        var permissions = await ArrayAsync(auth, "/api/permissions", adminToken);
        var roles = await ArrayAsync(auth, "/api/roles", adminToken);
        return new Counts(permissions.GetArrayLength(), roles.EnumerateArray().Where(r => r.GetProperty("system").GetBoolean())
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("permissions").GetArrayLength()));
    }
}
