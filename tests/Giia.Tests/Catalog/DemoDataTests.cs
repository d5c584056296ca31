using System.Net;

using Giia.Catalog.Grpc.V1;
using Giia.Data;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Catalog;

/// <summary>The development demo: its users sign in with the AppHost's generated password and find a catalog to work with.</summary>
[Collection(GiiaSystem.Name)]
public sealed class DemoDataTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Each_demo_role_signs_in_and_the_demo_catalog_is_there_with_its_permissions()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var password = await fixture.ParameterAsync("demo-password");
        var tokens = new Dictionary<string, string>();
        foreach (var role in new[] { "admin", "manager", "analyst", "viewer" })
        {
            tokens[role] = (await auth.LoginAsync($"{role}@demo.giia.local", password)).AccessToken;
        }

        var (status, page, _) = await catalog.GetAsync("/api/products?pageSize=100", tokens["viewer"]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(36, page.GetProperty("total").GetInt64());
        Assert.Equal(6, (await catalog.GetAsync("/api/suppliers", tokens["analyst"])).Body.GetProperty("total").GetInt64());
        var profiles = await catalog.Grpc.ListBufferProfilesAsync(new ListBufferProfilesRequest
        {
            OrganizationId = DemoDataOptions.OrganizationId.ToString(),
        }, AuthApi.Bearer(tokens["manager"]));
        Assert.Equal(3, profiles.BufferProfiles.Count);

        using var viewerWrite = await catalog.SendAsync(HttpMethod.Post, "/api/suppliers", tokens["viewer"], new { code = "X", name = "X", defaultLeadTimeDays = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, viewerWrite.StatusCode);
    }
}
