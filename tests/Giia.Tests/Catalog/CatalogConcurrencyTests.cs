using System.Net;

using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Catalog;

/// <summary>Deletes racing deletes, updates and link changes: each answers 2xx or a clean 404/409/412, never a 5xx.</summary>
[Collection(GiiaSystem.Name)]
public sealed class CatalogConcurrencyTests(GiiaAppFixture fixture)
{
    private const int Crowd = 20;

    [Fact]
    public async Task Parallel_deletes_of_one_product_give_one_204_and_no_5xx()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "RACE-1")).GetProperty("id").GetGuid();
        var (_, _, etag) = await catalog.GetAsync($"/api/products/{productId}", tenant.AdminToken);

        var statuses = await ConcurrencyTests.AllAtOnceAsync(Crowd,
            () => catalog.SendAsync(HttpMethod.Delete, $"/api/products/{productId}", tenant.AdminToken, ifMatch: etag));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.NoContent));
        Assert.All(statuses.Where(s => s != HttpStatusCode.NoContent),
            s => Assert.Contains(s, new[] { HttpStatusCode.NotFound, HttpStatusCode.PreconditionFailed }));
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.GetAsync($"/api/products/{productId}", tenant.AdminToken)).Status);
    }

    [Fact]
    public async Task A_delete_racing_updates_of_one_product_never_answers_5xx()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "RACE-2")).GetProperty("id").GetGuid();
        var (_, _, etag) = await catalog.GetAsync($"/api/products/{productId}", tenant.AdminToken);
        var update = new { sku = "RACE-2", name = "Renamed", unitOfMeasure = "EA", standardCost = 1.5m };

        var calls = 0;
        var statuses = await ConcurrencyTests.AllAtOnceAsync(Crowd, () => Interlocked.Increment(ref calls) % 2 == 0
            ? catalog.SendAsync(HttpMethod.Delete, $"/api/products/{productId}", tenant.AdminToken, ifMatch: etag)
            : catalog.SendAsync(HttpMethod.Put, $"/api/products/{productId}", tenant.AdminToken, update, ifMatch: etag));

        Assert.DoesNotContain(statuses, s => (int)s >= 500);
        Assert.Equal(1, statuses.Count(s => s is HttpStatusCode.OK or HttpStatusCode.NoContent));
    }

    [Fact]
    public async Task Link_changes_racing_the_deletes_of_their_product_and_supplier_answer_404_or_409()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "RACE-3")).GetProperty("id").GetGuid();
        var supplierId = (await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, "RACE-SUP")).GetProperty("id").GetGuid();
        var (_, _, etag) = await catalog.GetAsync($"/api/products/{productId}", tenant.AdminToken);
        var link = new { leadTimeDays = 3, unitCost = 2.25m, minimumOrderQuantity = 10m, isPrimary = true };

        var calls = 0;
        var statuses = await ConcurrencyTests.AllAtOnceAsync(Crowd, () => (Interlocked.Increment(ref calls) % 5) switch
        {
            0 => catalog.SendAsync(HttpMethod.Delete, $"/api/products/{productId}", tenant.AdminToken, ifMatch: etag),
            1 => catalog.SendAsync(HttpMethod.Delete, $"/api/suppliers/{supplierId}", tenant.AdminToken),
            _ => catalog.SendAsync(HttpMethod.Put, $"/api/products/{productId}/suppliers/{supplierId}", tenant.AdminToken, link),
        });

        Assert.DoesNotContain(statuses, s => (int)s >= 500);
        Assert.All(statuses, s => Assert.Contains(s, new[]
        {
            HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed,
        }));
    }
}
