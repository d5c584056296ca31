using System.Net;
using System.Text.Json;
using System.Xml.Linq;

using Giia.Events;
using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Events;
using Giia.Tests.Infrastructure;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.Tests.Ddmrp;

/// <summary>
/// Flow 4 through the running system: inputs stored by the buffer engine, the product and profile read from Catalog
/// over gRPC with the caller's token, the calculation saved with its history, and buffer.calculated on NATS.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class BufferFlowTests(GiiaAppFixture fixture)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Calculate_reads_catalog_and_inputs_saves_the_buffer_and_publishes_buffer_calculated()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "BOLT-DDMRP");

        // 90 days of 10 a day: ADU 10. Red = 10·10·0.5 + 50·0.6 = 80, yellow = 100, green = max(MOQ 100, 50) = 100.
        await ddmrp.PutAsync("/api/buffers/inputs/usage", tenant.AdminToken,
            new { rows = Enumerable.Range(1, 90).Select(d => new { productId, day = Day(-d), quantity = 10m }) });
        // Sent twice: an upsert, not a second row.
        await ddmrp.PutAsync("/api/buffers/inputs/usage", tenant.AdminToken, new { rows = new[] { new { productId, day = Day(-1), quantity = 10m } } });
        await ddmrp.PutAsync("/api/buffers/inputs/on-hand", tenant.AdminToken, new { rows = new[] { new { productId, quantity = 50m } } });
        await ddmrp.PutAsync("/api/buffers/inputs/open-supply", tenant.AdminToken,
            new { rows = new[] { new { reference = "PO-1/1", productId, dueDate = Day(5), quantity = 100m } } });
        // Due today 20 (qualifies), a spike of 200 in 3 days (≥ 50 % of red = 40: qualifies), 30 in 4 days (does not).
        await ddmrp.PutAsync("/api/buffers/inputs/open-demand", tenant.AdminToken, new
        {
            rows = new[]
            {
                new { reference = "SO-1/1", productId, dueDate = Day(0), quantity = 20m },
                new { reference = "SO-2/1", productId, dueDate = Day(3), quantity = 200m },
                new { reference = "SO-3/1", productId, dueDate = Day(4), quantity = 30m },
            },
        });

        var (status, buffer) = await ddmrp.CalculateAsync(tenant.AdminToken, productId);

        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {buffer}");
        Assert.Equal((10m, 10, 80m, 180m, 280m), (buffer.GetProperty("adu").GetDecimal(), buffer.GetProperty("dltDays").GetInt32(),
            buffer.GetProperty("topOfRed").GetDecimal(), buffer.GetProperty("topOfYellow").GetDecimal(), buffer.GetProperty("topOfGreen").GetDecimal()));
        // NFP = 50 + 100 − (20 + 200) = −70: below red; order TOG − NFP = 350 (≥ MOQ, a multiple of 50); on hand 50 ≥ TOR/2: yellow.
        Assert.Equal((220m, -70m, "below_red", "yellow", 350m), (buffer.GetProperty("qualifiedDemand").GetDecimal(),
            buffer.GetProperty("netFlowPosition").GetDecimal(), buffer.GetProperty("planningStatus").GetString(),
            buffer.GetProperty("executionStatus").GetString(), buffer.GetProperty("recommendedOrder").GetDecimal()));
        Assert.Equal(-25m, buffer.GetProperty("netFlowPercent").GetDecimal());
        var calculationId = buffer.GetProperty("calculationId").GetString();

        var (getStatus, saved) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}", tenant.ViewerToken);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(calculationId, saved.GetProperty("latest").GetProperty("calculationId").GetString());
        Assert.Equal(1, saved.GetProperty("historyTotal").GetInt64());
        // Saved with what it was calculated from.
        var (detailStatus, detail) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}/calculations/{calculationId}", tenant.ViewerToken);
        Assert.Equal(HttpStatusCode.OK, detailStatus);
        var inputs = detail.GetProperty("inputs");
        Assert.Equal("BOLT-DDMRP", inputs.GetProperty("catalog").GetProperty("sku").GetString());
        var used = inputs.GetProperty("input");
        Assert.Equal((90, 50m, 1, 3, 100m, 50m), (used.GetProperty("usage").GetArrayLength(), used.GetProperty("onHand").GetDecimal(),
            used.GetProperty("openSupply").GetArrayLength(), used.GetProperty("openDemand").GetArrayLength(),
            used.GetProperty("minimumOrderQuantity").GetDecimal(), used.GetProperty("orderMultiple").GetDecimal()));
        Assert.Equal(200m, Assert.Single(inputs.GetProperty("result").GetProperty("qualifiedDemand").GetProperty("spikes").EnumerateArray())
            .GetProperty("quantity").GetDecimal());

        var (listStatus, list) = await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers?status=below_red&sort=priority", tenant.ViewerToken);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal(productId, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("productId").GetString());
        var (_, green) = await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers?status=green", tenant.ViewerToken);
        Assert.Empty(green.GetProperty("items").EnumerateArray());

        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        var events = await Eventually.UntilAsync(
            async () => (await EventWire.ReadAllAsync(jetStream, EventStreams.Ddmrp, "ddmrp.buffer.calculated"))
                .Where(m => EventWire.OrganizationOf(m) == tenant.OrganizationId).Select(EventWire.Parse).ToList(),
            found => found.Count >= 1, TimeSpan.FromSeconds(15), "buffer.calculated of the organization");
        var published = Assert.Single(events);
        EventSchemaRegistry.Default.Validate(published);
        Assert.Equal((calculationId, productId, "below_red", 350m), (published.Data.GetProperty("calculation_id").GetString(),
            published.Data.GetProperty("product_id").GetString(), published.Data.GetProperty("planning_status").GetString(),
            published.Data.GetProperty("recommended_order").GetDecimal()));
    }

    [Fact]
    public async Task Another_organization_gets_404_for_the_product_and_sees_none_of_its_buffers()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var owner = await Tenant.CreateAsync(auth);
        var intruder = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, owner.AdminToken, "ISO-1");
        Assert.Equal(HttpStatusCode.OK, (await ddmrp.CalculateAsync(owner.AdminToken, productId)).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await ddmrp.CalculateAsync(intruder.AdminToken, productId)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}", intruder.AdminToken)).Status);
        var (_, owners) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}", owner.AdminToken);
        var calculation = owners.GetProperty("latest").GetProperty("calculationId").GetString();
        Assert.Equal(HttpStatusCode.NotFound,
            (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}/calculations/{calculation}", intruder.AdminToken)).Status);
        var (_, list) = await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers", intruder.AdminToken);
        Assert.Equal(0, list.GetProperty("total").GetInt64());
        // The intruder's inputs for that id are its own rows: the owner's buffer does not change.
        await ddmrp.PutAsync("/api/buffers/inputs/on-hand", intruder.AdminToken, new { rows = new[] { new { productId, quantity = 999m } } });
        var (_, again) = await ddmrp.CalculateAsync(owner.AdminToken, productId);
        Assert.Equal(0m, again.GetProperty("onHand").GetDecimal());
    }

    [Fact]
    public async Task A_role_without_buffers_write_is_refused_403_and_reads_with_buffers_read()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "PERM-1");

        Assert.Equal(HttpStatusCode.Forbidden, (await ddmrp.CalculateAsync(tenant.ViewerToken, productId)).Status);
        foreach (var input in new[] { "usage", "forecast", "on-hand", "open-supply", "open-demand" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await ddmrp.SendAsync(HttpMethod.Put, $"/api/buffers/inputs/{input}", tenant.ViewerToken,
                new { rows = new[] { new { productId, day = Day(-1), quantity = 1m } } })).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers", tenant.ViewerToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}", tenant.ViewerToken)).Status);
    }

    [Theory]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[{"productId":"P","day":"2026-01-01","quantity":-1}]}""", "rows[0].quantity")]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[{"productId":"P","day":"2026-01-01","quantity":1.23456}]}""", "rows[0].quantity")]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[{"productId":"P","day":"2026-01-01","quantity":1e13}]}""", "rows[0].quantity")]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[{"productId":"P","day":"1999-12-31","quantity":1}]}""", "rows[0].day")]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[{"productId":"P","day":"2026-01-01","quantity":1},{"productId":"P","day":"2026-01-01","quantity":2}]}""", "rows[1].day")]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[]}""", "rows")]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[{"day":"2026-01-01","quantity":1}]}""", "rows[0].productId")]
    [InlineData("/api/buffers/inputs/on-hand", """{"rows":[{"productId":"P","quantity":-1e13}]}""", "rows[0].quantity")]
    [InlineData("/api/buffers/inputs/open-supply", """{"rows":[{"reference":"PO\u0000","productId":"P","dueDate":"2026-01-01","quantity":1}]}""", "rows[0].reference")]
    [InlineData("/api/buffers/inputs/open-demand", """{"rows":[{"reference":"SO-1","productId":"P","dueDate":"2026-01-01","quantity":1},{"reference":"SO-1","productId":"P","dueDate":"2026-01-02","quantity":1}]}""", "rows[1].reference")]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[{"productId":"P","day":"2026-01-01T00:00:00+05:00","quantity":1}]}""", "rows[0].day")]
    [InlineData("/api/buffers/inputs/usage", """{"rows":[{"productId":"P","day":"2026-01-01","quantity":0.0000000000000000000000000001}]}""", "rows[0].quantity")]
    [InlineData("/api/buffers/inputs/on-hand", """{"rows":[{"productId":"P","quantity":1e400}]}""", "rows[0].quantity")]
    [InlineData("/api/buffers/inputs/on-hand", """{"rows":[{"productId":"P","quantity":true}]}""", "rows[0].quantity")]
    [InlineData("/api/buffers/inputs/open-supply", """{"rows":[{"reference":"PO-1","productId":"P","dueDate":"2026-01-01T00:00:00Z","quantity":1}]}""", "rows[0].dueDate")]
    [InlineData("/api/buffers/inputs/open-demand", """{"rows":[{"reference":"SO-1","productId":"P","dueDate":"2026-01-01","quantity":79228162514264337593543950336}]}""", "rows[0].quantity")]
    [InlineData("/api/buffers/calculate", """{}""", "productId")]
    public async Task Bad_input_is_a_400_problem_naming_the_field_and_stores_nothing(string path, string json, string field)
    {
        using var auth = new AuthApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = Guid.NewGuid().ToString();
        var method = path.EndsWith("calculate", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Put;

        var (status, problem) = await ddmrp.SendAsync(method, path, tenant.AdminToken, json.Replace("\"P\"", $"\"{productId}\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}: {problem}");
        using var db = new Npgsql.NpgsqlConnection(await fixture.ConnectionStringAsync("ddmrpdb"));
        await db.OpenAsync();
        using var count = new Npgsql.NpgsqlCommand(
            "SELECT (SELECT count(*) FROM daily_quantities WHERE organization_id = @o) + (SELECT count(*) FROM open_lines WHERE organization_id = @o)", db);
        count.Parameters.AddWithValue("o", tenant.OrganizationId);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("/api/buffers?status=purple", "status")]
    [InlineData("/api/buffers?sort=name", "sort")]
    [InlineData("/api/buffers?pageSize=1000", "pageSize")]
    [InlineData("/api/buffers/not-a-uuid", "productId")]
    [InlineData("/api/buffers/0193a000-0000-7000-8000-000000000001?historySize=101", "historySize")]
    [InlineData("/api/buffers/not-a-uuid/chart.svg", "productId")]
    [InlineData("/api/buffers/0193a000-0000-7000-8000-000000000001/history.svg?historySize=0", "historySize")]
    [InlineData("/api/buffers/0193a000-0000-7000-8000-000000000001/history.svg?historySize=101", "historySize")]
    public async Task Bad_queries_are_a_400_problem_naming_the_parameter(string path, string field)
    {
        using var auth = new AuthApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);

        var (status, problem) = await ddmrp.SendAsync(HttpMethod.Get, path, tenant.ViewerToken);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}: {problem}");
    }

    [Fact]
    public async Task The_buffer_and_its_history_are_drawn_as_svg_for_the_organization_only()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var intruder = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "SVG-1");
        Assert.Equal(HttpStatusCode.NotFound, (await ddmrp.GetTextAsync($"/api/buffers/{productId}/chart.svg", tenant.ViewerToken)).Status);
        await ddmrp.PutAsync("/api/buffers/inputs/usage", tenant.AdminToken,
            new { rows = Enumerable.Range(1, 30).Select(d => new { productId, day = Day(-d), quantity = 10m }) });
        await ddmrp.PutAsync("/api/buffers/inputs/on-hand", tenant.AdminToken, new { rows = new[] { new { productId, quantity = 150m } } });
        Assert.Equal(HttpStatusCode.OK, (await ddmrp.CalculateAsync(tenant.AdminToken, productId)).Status);
        await ddmrp.PutAsync("/api/buffers/inputs/on-hand", tenant.AdminToken, new { rows = new[] { new { productId, quantity = 20m } } });
        Assert.Equal(HttpStatusCode.OK, (await ddmrp.CalculateAsync(tenant.AdminToken, productId)).Status);

        var chart = await ddmrp.GetTextAsync($"/api/buffers/{productId}/chart.svg", tenant.ViewerToken);
        Assert.Equal(HttpStatusCode.OK, chart.Status);
        Assert.Equal("image/svg+xml", chart.MediaType);
        Assert.Contains("default-src 'none'", string.Join(' ', chart.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        XNamespace svg = "http://www.w3.org/2000/svg";
        var picture = XElement.Parse(chart.Text);
        Assert.Equal("Buffer of SVG-1", picture.Element(svg + "title")!.Value);
        // The latest calculation: on hand 20 (NFP 20), red zone 80 → the red status and both marks.
        Assert.Contains("red", picture.Element(svg + "desc")!.Value, StringComparison.Ordinal);
        Assert.Equal(3, picture.Elements(svg + "rect").Count(r => r.Attribute("data-series")?.Value.EndsWith(" zone", StringComparison.Ordinal) == true));
        Assert.Contains(picture.Descendants(svg + "text"), t => t.Value == "On hand 20");

        var history = await ddmrp.GetTextAsync($"/api/buffers/{productId}/history.svg?historySize=10", tenant.ViewerToken);
        Assert.Equal((HttpStatusCode.OK, "image/svg+xml"), (history.Status, history.MediaType));
        var line = XElement.Parse(history.Text).Descendants(svg + "polyline").Single(p => p.Attribute("data-series")?.Value == "on hand");
        Assert.Equal(2, line.Attribute("points")!.Value.Split(' ').Length);

        // Twenty readers at once all get the same picture.
        var crowd = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ddmrp.GetTextAsync($"/api/buffers/{productId}/chart.svg", tenant.ViewerToken)));
        Assert.All(crowd, c => Assert.Equal((HttpStatusCode.OK, chart.Text), (c.Status, c.Text)));

        foreach (var path in new[] { $"/api/buffers/{productId}/chart.svg", $"/api/buffers/{productId}/history.svg" })
        {
            var other = await ddmrp.GetTextAsync(path, intruder.AdminToken);
            Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), (other.Status, other.MediaType));
            Assert.Equal(HttpStatusCode.Unauthorized, (await ddmrp.GetTextAsync(path, "not-a-token")).Status);
        }
    }

    [Fact]
    public async Task Figures_beyond_what_the_columns_hold_are_a_409_and_nothing_is_saved()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        // The largest values every rule admits: ADU 1e12 a day, a 3,650-day lead time, LTF and VF 100.
        var profile = await catalog.CreateAsync("/api/buffer-profiles", tenant.AdminToken,
            new { name = "Extreme", aduMethod = "average", leadTimeFactor = 100m, variabilityFactor = 100m });
        var product = await catalog.CreateAsync("/api/products", tenant.AdminToken, new
        {
            sku = "HUGE-1",
            name = "Huge",
            unitOfMeasure = "EA",
            standardCost = 1m,
            bufferProfileId = profile.GetProperty("id").GetGuid(),
            leadTimeOverrideDays = 3650,
        });
        var productId = product.GetProperty("id").GetString()!;
        await ddmrp.PutAsync("/api/buffers/inputs/usage", tenant.AdminToken,
            new { rows = Enumerable.Range(1, 90).Select(d => new { productId, day = Day(-d), quantity = 1_000_000_000_000m }) });

        var (status, problem) = await ddmrp.CalculateAsync(tenant.AdminToken, productId);

        Assert.True(status == HttpStatusCode.Conflict, $"{(int)status} {problem}");
        Assert.Contains("exceed what can be stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}", tenant.AdminToken)).Status);
    }

    [Fact]
    public async Task Twenty_identical_calculations_at_once_all_succeed_and_the_buffer_is_the_newest_of_its_history()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "CROWD-1");
        await ddmrp.PutAsync("/api/buffers/inputs/usage", tenant.AdminToken,
            new { rows = Enumerable.Range(1, 30).Select(d => new { productId, day = Day(-d), quantity = 4m }) });

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ddmrp.CalculateAsync(tenant.AdminToken, productId)));

        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, $"{(int)r.Status} {r.Body}"));
        Assert.Single(results.Select(r => r.Body.GetProperty("topOfGreen").GetDecimal()).Distinct());
        var (_, saved) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}?historySize=100", tenant.AdminToken);
        Assert.Equal(20, saved.GetProperty("historyTotal").GetInt64());
        var history = saved.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("calculationId").GetString()).ToList();
        Assert.Equal(results.Select(r => r.Body.GetProperty("calculationId").GetString()).Order(), history.Order());
        Assert.Equal(history[0], saved.GetProperty("latest").GetProperty("calculationId").GetString());
        var (_, list) = await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers", tenant.AdminToken);
        Assert.Equal(1, list.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Twenty_input_batches_of_each_kind_at_once_in_opposite_orders_all_succeed_and_store_each_row_once()
    {
        using var auth = new AuthApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var products = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid().ToString()).ToList();

        // Opposite orders make two upserts lock the same rows in opposite sequences: the deadlock a careless batch meets.
        var batches = Enumerable.Range(0, 20).SelectMany(i =>
        {
            var ordered = i % 2 == 0 ? products : Enumerable.Reverse(products).ToList();
            return new[]
            {
                ddmrp.SendAsync(HttpMethod.Put, "/api/buffers/inputs/on-hand", tenant.AdminToken,
                    new { rows = ordered.Select(productId => new { productId, quantity = 10m + i }) }),
                ddmrp.SendAsync(HttpMethod.Put, "/api/buffers/inputs/usage", tenant.AdminToken,
                    new { rows = ordered.Select(productId => new { productId, day = Day(-1), quantity = 1m + i }) }),
                ddmrp.SendAsync(HttpMethod.Put, "/api/buffers/inputs/open-supply", tenant.AdminToken,
                    new { rows = ordered.Select(productId => new { reference = $"PO-{productId}", productId, dueDate = Day(3), quantity = 5m + i }) }),
            };
        });
        var results = await Task.WhenAll(batches);

        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, $"{(int)r.Status} {r.Body}"));
        using var db = new Npgsql.NpgsqlConnection(await fixture.ConnectionStringAsync("ddmrpdb"));
        await db.OpenAsync();
        using var count = new Npgsql.NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM on_hand_positions WHERE organization_id = @o), (SELECT count(*) FROM daily_quantities WHERE organization_id = @o),
                   (SELECT count(*) FROM open_lines WHERE organization_id = @o)
            """, db);
        count.Parameters.AddWithValue("o", tenant.OrganizationId);
        await using var row = await count.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal((50L, 50L, 50L), (row.GetInt64(0), row.GetInt64(1), row.GetInt64(2)));
    }

    [Fact]
    public async Task A_product_without_a_profile_is_409_and_a_catalog_outage_is_503_never_500()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var bare = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "BARE-1")).GetProperty("id").GetString()!;
        var (noProfile, problem) = await ddmrp.CalculateAsync(tenant.AdminToken, bare);
        Assert.True(noProfile == HttpStatusCode.Conflict, $"{(int)noProfile} {problem}");
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "OUTAGE-1");

        await fixture.StopResourceAsync("catalog");
        try
        {
            var (status, outage) = await ddmrp.CalculateAsync(tenant.AdminToken, productId);
            Assert.True(status == HttpStatusCode.ServiceUnavailable, $"{(int)status} {outage}");
        }
        finally
        {
            await fixture.StartResourceAsync("catalog");
        }

        var (_, none) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}", tenant.AdminToken);
        Assert.Equal(404, none.GetProperty("status").GetInt32());
        // It recovers by itself once Catalog is back (the first calls may still meet the connection that went down with it).
        await Eventually.UntilAsync(async () => (await ddmrp.CalculateAsync(tenant.AdminToken, productId)).Status,
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "a calculation once Catalog is back");
    }
}
