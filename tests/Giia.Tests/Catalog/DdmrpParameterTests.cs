using System.Net;
using System.Text.Json;

using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.Tests.Catalog;

/// <summary>
/// The DDMRP inputs Catalog keeps for the buffer engine: ADU and spike parameters on profiles, lead-time override,
/// order cycle, unit precision and demand adjustments on products, order multiples on supplier links, and the link
/// events that let buffers follow their inputs.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class DdmrpParameterTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Profile_adu_and_spike_parameters_round_trip_over_REST_and_gRPC_with_defaults()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);

        var defaults = await CatalogApi.NewBufferProfileAsync(catalog, tenant.AdminToken, "Defaults");
        Assert.Equal((90, 90, 0.3m, 0.5m, 0.5m, 50m), (defaults.GetProperty("aduHorizonDays").GetInt32(), defaults.GetProperty("aduForwardHorizonDays").GetInt32(),
            defaults.GetProperty("aduAlpha").GetDecimal(), defaults.GetProperty("aduPastWeight").GetDecimal(), defaults.GetProperty("aduForwardWeight").GetDecimal(),
            defaults.GetProperty("spikeThresholdPercent").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("spikeHorizonDays").ValueKind);

        var blended = await catalog.CreateAsync("/api/buffer-profiles", tenant.AdminToken, new
        {
            name = "Blended",
            aduMethod = "blended",
            leadTimeFactor = 0.5m,
            variabilityFactor = 0.5m,
            aduHorizonDays = 120,
            aduForwardHorizonDays = 60,
            aduPastWeight = 0.7m,
            aduForwardWeight = 0.3m,
            spikeThresholdPercent = 75m,
            spikeHorizonDays = 14,
        });
        Assert.Equal("blended", blended.GetProperty("aduMethod").GetString());

        var message = (await catalog.Grpc.GetBufferProfileAsync(new GetBufferProfileRequest { Id = blended.GetProperty("id").GetString() },
            AuthApi.Bearer(tenant.ViewerToken))).BufferProfile;
        Assert.Equal(("blended", 120, 60, 0.7, 0.3, 75.0, 14), (message.AduMethod, message.AduHorizonDays, message.AduForwardHorizonDays,
            message.AduPastWeight, message.AduForwardWeight, message.SpikeThresholdPercent, message.SpikeHorizonDays));
        var defaultMessage = (await catalog.Grpc.GetBufferProfileAsync(new GetBufferProfileRequest { Id = defaults.GetProperty("id").GetString() },
            AuthApi.Bearer(tenant.ViewerToken))).BufferProfile;
        Assert.False(defaultMessage.HasSpikeHorizonDays);
    }

    [Theory]
    [InlineData("aduAlpha", """{"aduMethod":"exponential","aduAlpha":0}""")]
    [InlineData("aduAlpha", """{"aduMethod":"exponential","aduAlpha":1.5}""")]
    [InlineData("aduAlpha", """{"aduMethod":"exponential","aduAlpha":0.12345}""")]
    [InlineData("aduPastWeight", """{"aduMethod":"blended","aduPastWeight":0.2,"aduForwardWeight":0.6}""")]
    [InlineData("aduHorizonDays", """{"aduMethod":"average","aduHorizonDays":0}""")]
    [InlineData("aduForwardHorizonDays", """{"aduMethod":"forward","aduForwardHorizonDays":731}""")]
    [InlineData("spikeThresholdPercent", """{"aduMethod":"average","spikeThresholdPercent":-1}""")]
    [InlineData("spikeHorizonDays", """{"aduMethod":"average","spikeHorizonDays":-3}""")]
    [InlineData("aduMethod", """{"aduMethod":"median"}""")]
    public async Task Bad_profile_parameters_are_refused_and_nothing_is_stored(string field, string json)
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var body = JsonSerializer.Deserialize<Dictionary<string, object>>(json)!;
        body["name"] = "Bad";
        body["leadTimeFactor"] = 0.5m;
        body["variabilityFactor"] = 0.5m;

        using var response = await catalog.SendAsync(HttpMethod.Post, "/api/buffer-profiles", tenant.AdminToken, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
        var (_, list, _) = await catalog.GetAsync("/api/buffer-profiles", tenant.AdminToken);
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Product_ddmrp_fields_and_supplier_terms_reach_gRPC()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var supplier = await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, "PACK");
        var product = await catalog.CreateAsync("/api/products", tenant.AdminToken, new
        {
            sku = "GLUE-1",
            name = "Glue",
            unitOfMeasure = "KG",
            standardCost = 4m,
            leadTimeOverrideDays = 6,
            orderCycleDays = 7,
            unitPrecision = 2,
            demandAdjustments = new[] { new { from = "2026-12-01", to = "2026-12-24", factor = 1.5m } },
        });
        var productId = product.GetProperty("id").GetString();
        Assert.Equal((6, 7, 2), (product.GetProperty("leadTimeOverrideDays").GetInt32(), product.GetProperty("orderCycleDays").GetInt32(),
            product.GetProperty("unitPrecision").GetInt32()));
        Assert.Equal(1.5m, product.GetProperty("demandAdjustments")[0].GetProperty("factor").GetDecimal());
        using (var linked = await catalog.SendAsync(HttpMethod.Put, $"/api/products/{productId}/suppliers/{supplier.GetProperty("id").GetString()}",
            tenant.AdminToken, new { leadTimeDays = 0, unitCost = 3.5m, minimumOrderQuantity = 25m, orderMultiple = 12.5m, isPrimary = true }))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
            Assert.Equal(12.5m, JsonDocument.Parse(await linked.Content.ReadAsStringAsync()).RootElement.GetProperty("orderMultiple").GetDecimal());
        }

        var headers = AuthApi.Bearer(tenant.ViewerToken);
        var message = (await catalog.Grpc.GetProductAsync(new GetProductRequest { Id = productId }, headers)).Product;
        Assert.Equal((6, 7, 2), (message.LeadTimeOverrideDays, message.OrderCycleDays, message.UnitPrecision));
        var adjustment = Assert.Single(message.DemandAdjustments);
        Assert.Equal(("2026-12-01", "2026-12-24", 1.5), (adjustment.From, adjustment.To, adjustment.Factor));
        var link = Assert.Single(message.Suppliers);
        Assert.Equal((0, 25.0, 12.5, true, 12), (link.LeadTimeDays, link.MinimumOrderQuantity, link.OrderMultiple, link.IsPrimary, link.SupplierDefaultLeadTime));
        var listed = await catalog.Grpc.ListProductsAsync(new ListProductsRequest(), headers);
        Assert.Single(Assert.Single(listed.Products).Suppliers);

        // A product without the new fields keeps its old shape: no override, whole units, no adjustments.
        var plain = await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "PLAIN-1");
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("leadTimeOverrideDays").ValueKind);
        Assert.Equal((0, 0, 0), (plain.GetProperty("orderCycleDays").GetInt32(), plain.GetProperty("unitPrecision").GetInt32(),
            plain.GetProperty("demandAdjustments").GetArrayLength()));
        Assert.False((await catalog.Grpc.GetProductAsync(new GetProductRequest { Id = plain.GetProperty("id").GetString() }, headers)).Product.HasLeadTimeOverrideDays);
    }

    [Theory]
    [InlineData("unitPrecision", """{"unitPrecision":7}""")]
    [InlineData("orderCycleDays", """{"orderCycleDays":-1}""")]
    [InlineData("leadTimeOverrideDays", """{"leadTimeOverrideDays":3651}""")]
    [InlineData("demandAdjustments[0]", """{"demandAdjustments":[{"from":"2026-12-24","to":"2026-12-01","factor":2}]}""")]
    [InlineData("demandAdjustments[0]", """{"demandAdjustments":[{"from":"2026-12-01","to":"2026-12-24","factor":0}]}""")]
    [InlineData("demandAdjustments[1]", """{"demandAdjustments":[{"from":"2026-12-01","to":"2026-12-24","factor":1},{"from":"2026-12-01"}]}""")]
    public async Task Bad_product_ddmrp_fields_are_refused(string field, string json)
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var body = JsonSerializer.Deserialize<Dictionary<string, object>>(json)!;
        body["sku"] = "BAD-1";
        body["name"] = "Bad";
        body["unitOfMeasure"] = "EA";
        body["standardCost"] = 1m;

        using var response = await catalog.SendAsync(HttpMethod.Post, "/api/products", tenant.AdminToken, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Fact]
    public async Task Too_many_adjustments_and_fractional_link_terms_beyond_the_column_are_refused()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var adjustments = Enumerable.Range(0, 51).Select(i => new { from = "2026-01-01", to = "2026-01-02", factor = 1m }).ToArray();
        using (var response = await catalog.SendAsync(HttpMethod.Post, "/api/products", tenant.AdminToken,
            new { sku = "MANY", name = "Many", unitOfMeasure = "EA", standardCost = 1m, demandAdjustments = adjustments }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var product = await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "LINKED");
        var supplier = await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken);
        using var link = await catalog.SendAsync(HttpMethod.Put, $"/api/products/{product.GetProperty("id").GetString()}/suppliers/{supplier.GetProperty("id").GetString()}",
            tenant.AdminToken, new { leadTimeDays = 3, unitCost = 1m, orderMultiple = 0.00001m });
        Assert.Equal(HttpStatusCode.BadRequest, link.StatusCode);
        Assert.Contains("orderMultiple", await link.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supplier_link_changes_are_published_and_an_unchanged_put_publishes_nothing()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var product = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "LINK-1")).GetProperty("id").GetString();
        var first = (await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, "FIRST")).GetProperty("id").GetString();
        var second = (await CatalogApi.NewSupplierAsync(catalog, tenant.AdminToken, "SECOND")).GetProperty("id").GetString();

        async Task PutAsync(string supplier, object terms)
        {
            using var response = await catalog.SendAsync(HttpMethod.Put, $"/api/products/{product}/suppliers/{supplier}", tenant.AdminToken, terms);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await PutAsync(first!, new { leadTimeDays = 10, unitCost = 1m, minimumOrderQuantity = 100m, orderMultiple = 50m, isPrimary = true });
        await PutAsync(first!, new { leadTimeDays = 10, unitCost = 1m, minimumOrderQuantity = 100m, orderMultiple = 50m, isPrimary = true });
        await PutAsync(first!, new { leadTimeDays = 8, unitCost = 1m, minimumOrderQuantity = 100m, orderMultiple = 50m, isPrimary = true });
        await PutAsync(second!, new { leadTimeDays = 4, unitCost = 2m, isPrimary = true });
        using (var removed = await catalog.SendAsync(HttpMethod.Delete, $"/api/products/{product}/suppliers/{second}", tenant.AdminToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        // The unlink was published last: once it is there, every earlier event is too.
        var unlinked = await CatalogFlowTests.EventsOfAsync(jetStream, "catalog.product.supplier_unlinked", tenant.OrganizationId, 1);
        var linked = await CatalogFlowTests.EventsOfAsync(jetStream, "catalog.product.supplier_linked", tenant.OrganizationId, 2);
        var updated = await CatalogFlowTests.EventsOfAsync(jetStream, "catalog.product.supplier_link_updated", tenant.OrganizationId, 2);

        Assert.Equal([first, second], linked.Select(e => e.Data.GetProperty("supplier_id").GetString()));
        Assert.Equal((10, 100m, 50m, true), Terms(linked[0].Data));
        // The unchanged PUT published nothing: the updates are the lead-time change and the first link stepping down.
        Assert.Equal(2, updated.Count);
        Assert.Equal((8, 100m, 50m, true), Terms(updated[0].Data));
        Assert.Equal((first, false), (updated[1].Data.GetProperty("supplier_id").GetString(), updated[1].Data.GetProperty("is_primary").GetBoolean()));
        var gone = Assert.Single(unlinked);
        Assert.Equal((second, true, product), (gone.Data.GetProperty("supplier_id").GetString(), gone.Data.GetProperty("was_primary").GetBoolean(),
            gone.Data.GetProperty("product_id").GetString()));
    }

    private static (int, decimal, decimal, bool) Terms(JsonElement data) => (data.GetProperty("lead_time_days").GetInt32(),
        data.GetProperty("minimum_order_quantity").GetDecimal(), data.GetProperty("order_multiple").GetDecimal(), data.GetProperty("is_primary").GetBoolean());
}
