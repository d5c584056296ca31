using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Tests.Auth;

namespace Giia.Tests.Authorization;

/// <summary>Role administration through Auth's REST API, for tests that shape who holds what.</summary>
public sealed class RbacApi(AuthApi auth)
{
    public async Task<Guid> RoleIdAsync(string adminToken, string name)
    {
        using var response = await auth.GetAsync("/api/roles", adminToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var roles = await response.Content.ReadFromJsonAsync<JsonElement>();
        return roles.EnumerateArray().Single(r => r.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    public async Task<Guid> CreateRoleAsync(string adminToken, string name, int level, params string[] permissions)
    {
        using var response = await auth.PostAsync("/api/roles", new { name, level, permissions }, adminToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create role {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<HttpStatusCode> AssignAsync(string token, Guid userId, Guid roleId)
    {
        using var response = await auth.PostAsync($"/api/users/{userId}/roles", new { roleId }, token);
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> RevokeAsync(string token, Guid userId, Guid roleId)
    {
        using var response = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{userId}/roles/{roleId}", token);
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> SetStatusAsync(string token, Guid userId, bool active)
    {
        using var response = await auth.SendAsync(HttpMethod.Post, $"/api/users/{userId}/{(active ? "activate" : "deactivate")}", token);
        return response.StatusCode;
    }

    public async Task<IReadOnlyList<string>> RolesOfAsync(string adminToken, Guid userId)
    {
        using var response = await auth.GetAsync($"/api/users/{userId}", adminToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];
    }

    public async Task<string> StatusOfAsync(string adminToken, Guid userId)
    {
        using var response = await auth.GetAsync($"/api/users/{userId}", adminToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
    }
}
