using System.Net;
using System.Text.Json;

using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Grpc.Core;

namespace Giia.Tests.Catalog;

/// <summary>Who may do what in the Catalog: tokens, permissions from Auth, organizations sealed from each other, and lost updates.</summary>
[Collection(GiiaSystem.Name)]
public sealed class CatalogAccessTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task No_token_is_401_or_Unauthenticated_and_a_Viewer_reads_but_cannot_write()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "GEAR-1")).GetProperty("id").GetGuid();

        using (var anonymous = await catalog.SendAsync(HttpMethod.Get, "/api/products", token: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var forged = await catalog.SendAsync(HttpMethod.Get, "/api/products", token: "not.a.token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        var noToken = await Assert.ThrowsAsync<RpcException>(() => catalog.Grpc.ListProductsAsync(new ListProductsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, noToken.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await catalog.GetAsync($"/api/products/{productId}", tenant.ViewerToken)).Status);
        Assert.Single((await catalog.Grpc.ListProductsAsync(new ListProductsRequest(), AuthApi.Bearer(tenant.ViewerToken))).Products);
        using (var write = await catalog.SendAsync(HttpMethod.Post, "/api/suppliers", tenant.ViewerToken,
            new { code = "V-1", name = "Viewer's supplier", defaultLeadTimeDays = 1 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
            Assert.Contains("catalog:write", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var delete = await catalog.SendAsync(HttpMethod.Delete, $"/api/products/{productId}", tenant.ViewerToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await catalog.GetAsync($"/api/products/{productId}", tenant.AdminToken)).Status);
        var (_, suppliers, _) = await catalog.GetAsync("/api/suppliers", tenant.AdminToken);
        Assert.Equal(0, suppliers.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Another_organization_gets_404_or_NotFound_for_our_ids_and_never_sees_them()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var a = await Tenant.CreateAsync(auth);
        var (_, bTokens) = await auth.RegisterVerifiedAsync();
        var b = bTokens.AccessToken;
        var supplierId = (await CatalogApi.NewSupplierAsync(catalog, a.AdminToken, "SEALED")).GetProperty("id").GetGuid();
        var profileId = (await CatalogApi.NewBufferProfileAsync(catalog, a.AdminToken)).GetProperty("id").GetGuid();
        var productId = (await CatalogApi.NewProductAsync(catalog, a.AdminToken, "SECRET-1", profileId)).GetProperty("id").GetGuid();

        foreach (var path in new[] { $"/api/products/{productId}", $"/api/suppliers/{supplierId}", $"/api/buffer-profiles/{profileId}", $"/api/products/{productId}/suppliers" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await catalog.GetAsync(path, b)).Status);
        }

        using (var update = await catalog.SendAsync(HttpMethod.Put, $"/api/suppliers/{supplierId}", b,
            new { code = "MINE", name = "Taken over", defaultLeadTimeDays = 1 }, ifMatch: "*"))
        {
            Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        }

        using (var delete = await catalog.SendAsync(HttpMethod.Delete, $"/api/products/{productId}", b))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        // B may use A's SKU for its own product, and B's lists and searches hold only B's rows.
        var own = await CatalogApi.NewProductAsync(catalog, b, "SECRET-1");
        var (_, list, _) = await catalog.GetAsync("/api/products?search=secret", b);
        Assert.Equal(own.GetProperty("id").GetGuid(), Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var (_, suppliers, _) = await catalog.GetAsync("/api/suppliers", b);
        Assert.Equal(0, suppliers.GetProperty("total").GetInt64());

        var grpc = catalog.Grpc;
        var headers = AuthApi.Bearer(b);
        var notFound = await Assert.ThrowsAsync<RpcException>(() =>
            grpc.GetProductAsync(new GetProductRequest { Id = productId.ToString() }, headers).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        var otherOrganization = await Assert.ThrowsAsync<RpcException>(() =>
            grpc.GetProductAsync(new GetProductRequest { Id = productId.ToString(), OrganizationId = a.OrganizationId.ToString() }, headers).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, otherOrganization.StatusCode);
        var search = await grpc.SearchProductsAsync(new SearchProductsRequest { Query = "SECRET" }, headers);
        Assert.Equal(own.GetProperty("id").GetString(), Assert.Single(search.Products).Id);
        Assert.Empty((await grpc.ListSuppliersAsync(new ListSuppliersRequest(), headers)).Suppliers);
        Assert.Empty((await grpc.ListBufferProfilesAsync(new ListBufferProfilesRequest(), headers)).BufferProfiles);
        var supplierLookup = await Assert.ThrowsAsync<RpcException>(() =>
            grpc.GetSupplierAsync(new GetSupplierRequest { Id = supplierId.ToString() }, headers).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, supplierLookup.StatusCode);
    }

    [Fact]
    public async Task Two_updates_from_the_same_ETag_one_wins_the_other_is_412_and_no_If_Match_is_428()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var supplierId = (await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, "RACE")).GetProperty("id").GetGuid();
        var (_, _, etag) = await catalog.GetAsync($"/api/suppliers/{supplierId}", tenant.AdminToken);
        Assert.NotNull(etag);

        var edits = await Task.WhenAll(Enumerable.Range(1, 2).Select(async i =>
        {
            using var response = await catalog.SendAsync(HttpMethod.Put, $"/api/suppliers/{supplierId}", tenant.AdminToken,
                new { code = "RACE", name = $"Edit {i}", defaultLeadTimeDays = 10 + i }, ifMatch: etag);
            return (response.StatusCode, Name: $"Edit {i}");
        }));
        var winner = Assert.Single(edits, e => e.StatusCode == HttpStatusCode.OK);
        Assert.Single(edits, e => e.StatusCode == HttpStatusCode.PreconditionFailed);
        var (_, stored, newTag) = await catalog.GetAsync($"/api/suppliers/{supplierId}", tenant.AdminToken);
        Assert.Equal(winner.Name, stored.GetProperty("name").GetString());
        Assert.NotEqual(etag, newTag);

        using var blind = await catalog.SendAsync(HttpMethod.Put, $"/api/suppliers/{supplierId}", tenant.AdminToken,
            new { code = "RACE", name = "Blind write", defaultLeadTimeDays = 1 });
        Assert.Equal((HttpStatusCode)428, blind.StatusCode);
        Assert.Equal(winner.Name, (await catalog.GetAsync($"/api/suppliers/{supplierId}", tenant.AdminToken)).Body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Duplicate_SKU_code_or_name_is_409_and_a_second_primary_supplier_replaces_the_first()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "DUP-1")).GetProperty("id").GetGuid();
        var first = (await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, "S1")).GetProperty("id").GetGuid();
        var second = (await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, "S2")).GetProperty("id").GetGuid();
        await CatalogApi.NewBufferProfileAsync(catalog, tenant.AdminToken, "Unique");

        foreach (var (path, body) in new (string, object)[]
        {
            ("/api/products", new { sku = "DUP-1", name = "Again", unitOfMeasure = "EA", standardCost = 1 }),
            ("/api/suppliers", new { code = "S1", name = "Again", defaultLeadTimeDays = 1 }),
            ("/api/buffer-profiles", new { name = "Unique", aduMethod = "weighted", leadTimeFactor = 1, variabilityFactor = 1 }),
        })
        {
            using var duplicate = await catalog.SendAsync(HttpMethod.Post, path, tenant.AdminToken, body);
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        }

        foreach (var supplier in new[] { first, second })
        {
            using var linked = await catalog.SendAsync(HttpMethod.Put, $"/api/products/{productId}/suppliers/{supplier}", tenant.AdminToken,
                new { leadTimeDays = 5, unitCost = 1.5m, isPrimary = true });
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        }

        var (_, links, _) = await catalog.GetAsync($"/api/products/{productId}/suppliers", tenant.AdminToken);
        var primary = Assert.Single(links.EnumerateArray(), l => l.GetProperty("isPrimary").GetBoolean());
        Assert.Equal(second, primary.GetProperty("supplierId").GetGuid());
        Assert.Equal(2, links.GetArrayLength());
        using var inUse = await catalog.SendAsync(HttpMethod.Delete, $"/api/suppliers/{first}", tenant.AdminToken);
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
    }

    [Fact]
    public async Task When_Auth_cannot_answer_a_permission_check_the_call_fails_closed()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        Assert.Equal(HttpStatusCode.OK, (await catalog.GetAsync("/api/suppliers", tenant.AdminToken)).Status);
        try
        {
            // Every replica: the Catalog's client balances over all of them.
            await fixture.StopResourceAsync("auth");
            await fixture.StopResourceAsync("auth-2");
            // Past the Catalog's one-second decision cache: the next check must ask Auth, and Auth is away.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var (status, body, _) = await catalog.GetAsync("/api/suppliers", tenant.AdminToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal(503, body.GetProperty("status").GetInt32());
            var grpc = await Assert.ThrowsAsync<RpcException>(() =>
                catalog.Grpc.ListSuppliersAsync(new ListSuppliersRequest(), AuthApi.Bearer(tenant.AdminToken)).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, grpc.StatusCode);

            // Catalog's readiness does not depend on Auth: its pods stay in their Service while Auth is away.
            using var probe = fixture.CreateHttpClient("catalog");
            var (ready, _) = await ServiceProbes.ReadinessAsync(probe);
            Assert.Equal(HttpStatusCode.OK, ready);
        }
        finally
        {
            await fixture.StartResourceAsync("auth");
            await fixture.StartResourceAsync("auth-2");
        }

        await Eventually.UntilAsync(async () => (await catalog.GetAsync("/api/suppliers", tenant.AdminToken)).Status,
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "the Catalog to answer again once Auth is back");
    }
}
