using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>
/// One answer for a malformed route id in every service (as Catalog gives it): a 400 validation problem naming the
/// route parameter (<c>{ "id": ["id must be a UUID."] }</c>), never a 404 that would say "no such thing" about what is
/// not an id. A well-formed id of nothing is still a 404.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class MalformedRouteIdTests(GiiaAppFixture fixture)
{
    private const string SomeId = "0193a000-0000-7000-8000-000000000001";

    private static readonly string[] CatalogRead = ["catalog:read"];

    public static TheoryData<string, string, string, string> MalformedIds => new()
    {
        { "auth", "GET", "/api/users/not-a-uuid", "id" },
        { "auth", "POST", "/api/users/not-a-uuid/activate", "id" },
        { "auth", "POST", "/api/users/123/deactivate", "id" },
        { "auth", "GET", "/api/users/zz/sessions", "id" },
        { "auth", "DELETE", "/api/users/not-a-uuid/sessions", "id" },
        { "auth", "DELETE", $"/api/users/{SomeId}/sessions/not-a-uuid", "sessionId" },
        { "auth", "DELETE", "/api/users/not-a-uuid/sessions/also-not", "id,sessionId" },
        { "auth", "DELETE", "/api/auth/sessions/not-a-uuid", "id" },
        { "auth", "PUT", "/api/roles/not-a-uuid", "id" },
        { "auth", "DELETE", "/api/roles/00000000-0000-0000-0000-00000000000g", "id" },
        { "auth", "POST", "/api/users/not-a-uuid/roles", "userId" },
        { "auth", "DELETE", $"/api/users/{SomeId}/roles/not-a-uuid", "roleId" },
        { "auth", "DELETE", "/api/users/x/roles/y", "userId,roleId" },
        { "auth", "GET", "/api/users/not-a-uuid/permissions", "userId" },
        { "dlq-worker", "GET", "/api/dead-letters/not-a-uuid", "id" },
        { "dlq-worker", "POST", "/api/dead-letters/not-a-uuid/replay", "id" },
        { "dlq-worker", "POST", "/api/dead-letters/12345/discard", "id" },
        { "catalog", "GET", "/api/products/not-a-uuid", "id" },
        { "catalog", "DELETE", $"/api/products/{SomeId}/suppliers/not-a-uuid", "supplierId" },
        { "catalog", "DELETE", "/api/products/x/suppliers/y", "id,supplierId" },
    };

    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task A_malformed_route_id_is_a_400_naming_the_parameter(string service, string method, string path, string parameters)
    {
        var token = await AdminTokenAsync();
        using var client = fixture.CreateHttpClient(service);

        using var response = await SendAsync(client, method, path, token);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        var expected = parameters.Split(',');
        Assert.Equal(expected.Order(StringComparer.Ordinal), errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var parameter in expected)
        {
            Assert.Equal([$"{parameter} must be a UUID."], errors.GetProperty(parameter).EnumerateArray().Select(m => m.GetString()));
        }
    }

    [Theory]
    [InlineData("auth", "GET", "/api/users/" + SomeId)]
    [InlineData("auth", "DELETE", "/api/auth/sessions/" + SomeId)]
    [InlineData("auth", "DELETE", "/api/roles/" + SomeId)]
    [InlineData("auth", "GET", "/api/users/" + SomeId + "/permissions")]
    [InlineData("dlq-worker", "GET", "/api/dead-letters/" + SomeId)]
    [InlineData("dlq-worker", "POST", "/api/dead-letters/" + SomeId + "/discard")]
    public async Task A_well_formed_id_of_nothing_is_still_a_404(string service, string method, string path)
    {
        var token = await AdminTokenAsync();
        using var client = fixture.CreateHttpClient(service);

        using var response = await SendAsync(client, method, path, token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_route_id_without_a_credential_is_still_a_401()
    {
        using var client = fixture.CreateHttpClient("auth");
        using var response = await client.GetAsync(new Uri("/api/users/not-a-uuid", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<string> AdminTokenAsync()
    {
        using var auth = new AuthApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        return tokens.AccessToken;
    }

    /// <summary>A request with a valid body where the route takes one, so only the route id can be at fault.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string token)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { name = "Planner", level = 3, permissions = CatalogRead });
        }
        else if (path.EndsWith("/roles", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { roleId = SomeId });
        }

        return await client.SendAsync(request);
    }
}
