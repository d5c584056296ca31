using System.Net;
using System.Text.Json;

using Giia.Catalog.Grpc.V1;
using Giia.Events;
using Giia.Tests.Auth;
using Giia.Tests.Events;
using Giia.Tests.Infrastructure;

using Grpc.Core;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.Tests.Catalog;

/// <summary>The spec's flow through the AppHost with the real Auth: sign up, build the catalog over REST, see the events, read it over gRPC.</summary>
[Collection(GiiaSystem.Name)]
public sealed class CatalogFlowTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Supplier_profile_and_products_created_over_REST_are_published_and_read_over_gRPC()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);

        var supplier = await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, "ACME");
        var profile = await CatalogApi.NewBufferProfileAsync(catalog, tenant.AdminToken);
        var profileId = profile.GetProperty("id").GetGuid();
        var bolt = await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "BOLT-M8", profileId);
        var nut = await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "NUT-M8", profileId);
        var supplierId = supplier.GetProperty("id").GetGuid();
        var boltId = bolt.GetProperty("id").GetGuid();
        using (var linked = await catalog.SendAsync(HttpMethod.Put, $"/api/products/{boltId}/suppliers/{supplierId}", tenant.AdminToken,
            new { leadTimeDays = 10, unitCost = 0.3m, minimumOrderQuantity = 500, isPrimary = true }))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        }

        var (_, links, _) = await catalog.GetAsync($"/api/products/{boltId}/suppliers", tenant.AdminToken);
        var link = Assert.Single(links.EnumerateArray());
        Assert.Equal("ACME", link.GetProperty("supplierCode").GetString());
        Assert.True(link.GetProperty("isPrimary").GetBoolean());

        // The events, on NATS, schema-valid, with the spec's required fields.
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        var suppliers = await EventsOfAsync(jetStream, "catalog.supplier.created", tenant.OrganizationId, 1);
        Assert.Equal(supplierId.ToString(), suppliers[0].Data.GetProperty("supplier_id").GetString());
        Assert.Equal("ACME", suppliers[0].Data.GetProperty("code").GetString());
        var products = await EventsOfAsync(jetStream, "catalog.product.created", tenant.OrganizationId, 2);
        Assert.Equal(["BOLT-M8", "NUT-M8"], products.Select(e => e.Data.GetProperty("sku").GetString()).Order());
        Assert.All(products, e => Assert.Equal(profileId.ToString(), e.Data.GetProperty("buffer_profile_id").GetString()));

        // gRPC reads, organization from the token.
        var grpc = catalog.Grpc;
        var headers = AuthApi.Bearer(tenant.ViewerToken);
        var listed = await grpc.ListSuppliersAsync(new ListSuppliersRequest(), headers);
        Assert.Equal("ACME", Assert.Single(listed.Suppliers).Code);
        Assert.Equal(12, listed.Suppliers[0].DefaultLeadTime);
        var product = (await grpc.GetProductAsync(new GetProductRequest { Id = boltId.ToString(), OrganizationId = tenant.OrganizationId.ToString() }, headers)).Product;
        Assert.Equal("BOLT-M8", product.Sku);
        Assert.Equal(0.35, product.StandardCost, 6);
        Assert.Equal(profileId.ToString(), product.BufferProfileId);
        var found = await grpc.SearchProductsAsync(new SearchProductsRequest { Query = "bolt-m" }, headers);
        Assert.Equal("BOLT-M8", Assert.Single(found.Products).Sku);
        var byName = await grpc.SearchProductsAsync(new SearchProductsRequest { Query = "HEX BOLT" }, headers);
        Assert.Equal(2, byName.Products.Count);
        var page = await grpc.ListProductsAsync(new ListProductsRequest { PageSize = 1, Page = 2 }, headers);
        Assert.Equal(2, page.Total);
        Assert.Equal("NUT-M8", Assert.Single(page.Products).Sku);
        var bufferProfile = (await grpc.GetBufferProfileAsync(new GetBufferProfileRequest { Id = profileId.ToString() }, headers)).BufferProfile;
        Assert.Equal("average", bufferProfile.AduMethod);
        Assert.Equal(0.5, bufferProfile.LeadTimeFactor, 6);
        Assert.Single((await grpc.ListBufferProfilesAsync(new ListBufferProfilesRequest(), headers)).BufferProfiles);

        // Discoverable through reflection.
        Assert.Contains("catalog.v1.CatalogService", await ServiceProbes.ReflectedServicesAsync(catalog.Channel));
    }

    [Fact]
    public async Task Deleting_a_buffer_profile_in_use_is_refused_and_a_deleted_product_is_gone_with_an_event()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var profileId = (await CatalogApi.NewBufferProfileAsync(catalog, tenant.AdminToken)).GetProperty("id").GetGuid();
        var productId = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "WASHER-8", profileId)).GetProperty("id").GetGuid();

        using (var refused = await catalog.SendAsync(HttpMethod.Delete, $"/api/buffer-profiles/{profileId}", tenant.AdminToken))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // A delete names the version it saw, like an update: 428 without If-Match, 412 with a stale one.
        using (var unconditional = await catalog.SendAsync(HttpMethod.Delete, $"/api/products/{productId}", tenant.AdminToken))
        {
            Assert.Equal(HttpStatusCode.PreconditionRequired, unconditional.StatusCode);
        }

        using (var stale = await catalog.SendAsync(HttpMethod.Delete, $"/api/products/{productId}", tenant.AdminToken, ifMatch: "\"0\""))
        {
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        }

        var (_, _, etag) = await catalog.GetAsync($"/api/products/{productId}", tenant.AdminToken);
        using (var deleted = await catalog.SendAsync(HttpMethod.Delete, $"/api/products/{productId}", tenant.AdminToken, ifMatch: etag))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await catalog.GetAsync($"/api/products/{productId}", tenant.AdminToken)).Status);
        using (var deleted = await catalog.SendAsync(HttpMethod.Delete, $"/api/buffer-profiles/{profileId}", tenant.AdminToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var deletedEvents = await EventsOfAsync(new NatsJSContext(nats), "catalog.product.deleted", tenant.OrganizationId, 1);
        Assert.Equal("WASHER-8", deletedEvents[0].Data.GetProperty("sku").GetString());
    }

    /// <summary>The organization's events on a subject, once <paramref name="count"/> have arrived; each passes its schema.</summary>
    internal static async Task<IReadOnlyList<EventEnvelope>> EventsOfAsync(INatsJSContext jetStream, string subject, Guid organizationId, int count)
    {
        var events = await Eventually.UntilAsync(
            async () => (await EventWire.ReadAllAsync(jetStream, EventStreams.Catalog, subject))
                .Where(m => EventWire.OrganizationOf(m) == organizationId).Select(EventWire.Parse).ToList(),
            found => found.Count >= count, TimeSpan.FromSeconds(15), $"{count} {subject} event(s) of the organization");
        foreach (var envelope in events)
        {
            EventSchemaRegistry.Default.Validate(envelope);
        }

        return events;
    }
}
