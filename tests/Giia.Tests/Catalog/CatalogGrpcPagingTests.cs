using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Grpc.Core;

namespace Giia.Tests.Catalog;

/// <summary>
/// ListSuppliers and ListBufferProfiles page like ListProducts; a client that asks for no page (every older client)
/// gets at most the first 100, so no list is unbounded, and out-of-range paging is INVALID_ARGUMENT.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class CatalogGrpcPagingTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Suppliers_page_and_an_unpaged_list_stops_at_100()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        for (var i = 0; i < 101; i++)
        {
            await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, $"SUP-{i:D3}");
        }

        var headers = AuthApi.Bearer(tenant.AdminToken);
        var unpaged = await catalog.Grpc.ListSuppliersAsync(new ListSuppliersRequest(), headers);
        Assert.Equal(100, unpaged.Suppliers.Count);
        Assert.Equal((101, 1, 100), (unpaged.Total, unpaged.Page, unpaged.PageSize));
        Assert.Equal("SUP-000", unpaged.Suppliers[0].Code);

        var last = await catalog.Grpc.ListSuppliersAsync(new ListSuppliersRequest { Page = 2 }, headers);
        Assert.Equal("SUP-100", Assert.Single(last.Suppliers).Code);

        var second = await catalog.Grpc.ListSuppliersAsync(new ListSuppliersRequest { Page = 2, PageSize = 10, Status = "active" }, headers);
        Assert.Equal([.. Enumerable.Range(10, 10).Select(i => $"SUP-{i:D3}")], second.Suppliers.Select(s => s.Code).ToArray());
        Assert.Equal((101, 2, 10), (second.Total, second.Page, second.PageSize));
    }

    [Fact]
    public async Task Buffer_profiles_page_and_bad_paging_is_invalid_argument()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        foreach (var name in new[] { "A profile", "B profile", "C profile" })
        {
            await CatalogApi.NewBufferProfileAsync(catalog, tenant.AdminToken, name);
        }

        var headers = AuthApi.Bearer(tenant.AdminToken);
        var all = await catalog.Grpc.ListBufferProfilesAsync(new ListBufferProfilesRequest(), headers);
        Assert.Equal(["A profile", "B profile", "C profile"], all.BufferProfiles.Select(b => b.Name).ToArray());
        Assert.Equal((3, 1, 100), (all.Total, all.Page, all.PageSize));
        var page = await catalog.Grpc.ListBufferProfilesAsync(new ListBufferProfilesRequest { Page = 2, PageSize = 2 }, headers);
        Assert.Equal("C profile", Assert.Single(page.BufferProfiles).Name);

        foreach (var (number, size) in new[] { (-1, 0), (0, -5), (0, 101), (int.MaxValue, 100) })
        {
            var profiles = await Assert.ThrowsAsync<RpcException>(() =>
                catalog.Grpc.ListBufferProfilesAsync(new ListBufferProfilesRequest { Page = number, PageSize = size }, headers).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, profiles.StatusCode);
            var suppliers = await Assert.ThrowsAsync<RpcException>(() =>
                catalog.Grpc.ListSuppliersAsync(new ListSuppliersRequest { Page = number, PageSize = size }, headers).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, suppliers.StatusCode);
            Assert.Contains("page", suppliers.Status.Detail, StringComparison.Ordinal);
        }
    }
}
