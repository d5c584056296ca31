using System.Net;
using System.Text.Json;

using Giia.Events;
using Giia.Events.Contracts;
using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Events;
using Giia.Tests.Infrastructure;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.Tests.Ddmrp;

/// <summary>
/// Recalculation at scale through the running system: jobs on the buffer engine's work queue, calculated from its
/// copy of Catalog (kept from Catalog's events), Catalog changes that recalculate only the buffers they affect, and
/// buffer.status_changed when a calculation moves a buffer.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class RecalculationTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string Day(int offset) =>
        DateOnly.FromDateTime(DateTime.UtcNow).AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_whole_organization_job_calculates_every_buffered_product_from_the_copy_of_catalog()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var products = new List<string>();
        foreach (var sku in new[] { "JOB-1", "JOB-2", "JOB-3" })
        {
            var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, sku);
            products.Add(productId);
            await ddmrp.PutAsync("/api/buffers/inputs/usage", tenant.AdminToken,
                new { rows = Enumerable.Range(1, 90).Select(d => new { productId, day = Day(-d), quantity = 10m }) });
        }

        // Catalog's events reach the copy on their own time: queue jobs until one calculates all three products.
        var job = await Eventually.UntilAsync(() => RunJobAsync(ddmrp, tenant.AdminToken),
            j => j.GetProperty("calculated").GetInt32() == 3, Patience, "a job that calculates the three products");

        Assert.Equal(("completed", "manual", true), (job.GetProperty("status").GetString(), job.GetProperty("trigger").GetString(),
            job.GetProperty("wholeOrganization").GetBoolean()));
        Assert.Equal((3, 0, 1, 1), (job.GetProperty("calculated").GetInt32(), job.GetProperty("skipped").GetInt32(),
            job.GetProperty("chunks").GetInt32(), job.GetProperty("chunksDone").GetInt32()));
        var (_, list) = await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers?sort=recent", tenant.ViewerToken);
        Assert.Equal(products.Order(), list.GetProperty("items").EnumerateArray().Select(b => b.GetProperty("productId").GetString()!).Order());
        // The same figures as flow 4 (ADU 10, DLT 10 from the link, LTF 0.5, VF 0.6, MOQ 100): TOR 80, TOY 180, TOG 280.
        Assert.All(list.GetProperty("items").EnumerateArray(), b => Assert.Equal((80m, 180m, 280m),
            (b.GetProperty("topOfRed").GetDecimal(), b.GetProperty("topOfYellow").GetDecimal(), b.GetProperty("topOfGreen").GetDecimal())));

        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var calculated = await Eventually.UntilAsync(
            async () => (await EventWire.ReadAllAsync(new NatsJSContext(nats), EventStreams.Ddmrp, "ddmrp.buffer.calculated"))
                .Where(m => EventWire.OrganizationOf(m) == tenant.OrganizationId).Select(EventWire.Parse).ToList(),
            found => found.Count >= 3, TimeSpan.FromSeconds(15), "buffer.calculated for each product");
        Assert.Equal(products.Order(), calculated.Select(e => e.Data.GetProperty("product_id").GetString()!).Distinct().Order());

        // A product deleted in Catalog leaves the planning screen and the next jobs.
        var (_, _, etag) = await catalog.GetAsync($"/api/products/{products[0]}", tenant.AdminToken);
        using (var deleted = await catalog.SendAsync(HttpMethod.Delete, $"/api/products/{products[0]}", tenant.AdminToken, ifMatch: etag))
        {
            Assert.True(deleted.IsSuccessStatusCode, $"{(int)deleted.StatusCode}");
        }

        await Eventually.UntilAsync(async () => (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{products[0]}", tenant.ViewerToken)).Status,
            s => s == HttpStatusCode.NotFound, Patience, "the deleted product's buffer to leave the planning screen");
        var after = await RunJobAsync(ddmrp, tenant.AdminToken);
        Assert.Equal((2, 2), (after.GetProperty("products").GetInt32(), after.GetProperty("calculated").GetInt32()));
    }

    [Fact]
    public async Task A_profile_change_in_catalog_recalculates_the_buffers_that_use_it_and_no_others()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var changed = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "FOLLOW-1");
        var untouched = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "FOLLOW-2");
        await CopyHoldsLinksAsync(tenant.OrganizationId, 2);
        foreach (var productId in new[] { changed, untouched })
        {
            await ddmrp.PutAsync("/api/buffers/inputs/usage", tenant.AdminToken,
                new { rows = Enumerable.Range(1, 90).Select(d => new { productId, day = Day(-d), quantity = 10m }) });
            Assert.Equal(HttpStatusCode.OK, (await ddmrp.CalculateAsync(tenant.AdminToken, productId)).Status);
        }

        // VF 0.6 → 1.0: red = 10·10·0.5 · (1 + 1.0) = 100.
        var (_, product, _) = await catalog.GetAsync($"/api/products/{changed}", tenant.AdminToken);
        var profileId = product.GetProperty("bufferProfileId").GetString();
        var (_, profile, etag) = await catalog.GetAsync($"/api/buffer-profiles/{profileId}", tenant.AdminToken);
        using (var update = await catalog.SendAsync(HttpMethod.Put, $"/api/buffer-profiles/{profileId}", tenant.AdminToken,
            new { name = profile.GetProperty("name").GetString(), aduMethod = "average", leadTimeFactor = 0.5m, variabilityFactor = 1.0m }, etag))
        {
            Assert.True(update.IsSuccessStatusCode, $"{(int)update.StatusCode} {await update.Content.ReadAsStringAsync()}");
        }

        var followed = await Eventually.UntilAsync(async () => (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{changed}", tenant.ViewerToken)).Body,
            b => b.GetProperty("historyTotal").GetInt64() == 2, Patience, "the buffer recalculated after its profile changed");
        Assert.Equal((100m, 200m), (followed.GetProperty("latest").GetProperty("topOfRed").GetDecimal(),
            followed.GetProperty("latest").GetProperty("topOfYellow").GetDecimal()));
        await Task.Delay(TimeSpan.FromSeconds(1));

        var (_, jobs) = await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers/recalculations", tenant.ViewerToken);
        var job = Assert.Single(jobs.GetProperty("items").EnumerateArray(),
            j => j.GetProperty("reason").GetString()!.StartsWith("buffer_profile.updated", StringComparison.Ordinal));
        Assert.Equal(("catalog", false, 1, 1), (job.GetProperty("trigger").GetString(), job.GetProperty("wholeOrganization").GetBoolean(),
            job.GetProperty("products").GetInt32(), job.GetProperty("calculated").GetInt32()));
        Assert.Contains(profileId!, job.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var (_, other) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{untouched}", tenant.ViewerToken);
        Assert.Equal(1, other.GetProperty("historyTotal").GetInt64());
    }

    [Fact]
    public async Task A_calculation_that_moves_the_planning_status_publishes_buffer_status_changed()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "MOVE-1");
        await CopyHoldsLinksAsync(tenant.OrganizationId, 1);
        await ddmrp.PutAsync("/api/buffers/inputs/usage", tenant.AdminToken,
            new { rows = Enumerable.Range(1, 90).Select(d => new { productId, day = Day(-d), quantity = 10m }) });

        // TOR 80, TOG 280: 1000 on hand is green; 40 is red.
        await ddmrp.PutAsync("/api/buffers/inputs/on-hand", tenant.AdminToken, new { rows = new[] { new { productId, quantity = 1000m } } });
        var (_, first) = await ddmrp.CalculateAsync(tenant.AdminToken, productId);
        Assert.Equal("green", first.GetProperty("planningStatus").GetString());
        var (_, same) = await ddmrp.CalculateAsync(tenant.AdminToken, productId);
        Assert.Equal("green", same.GetProperty("planningStatus").GetString());
        await ddmrp.PutAsync("/api/buffers/inputs/on-hand", tenant.AdminToken, new { rows = new[] { new { productId, quantity = 40m } } });
        var (_, moved) = await ddmrp.CalculateAsync(tenant.AdminToken, productId);
        Assert.Equal("red", moved.GetProperty("planningStatus").GetString());

        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var changes = await Eventually.UntilAsync(
            async () => (await EventWire.ReadAllAsync(new NatsJSContext(nats), EventStreams.Ddmrp, "ddmrp.buffer.status_changed"))
                .Where(m => EventWire.OrganizationOf(m) == tenant.OrganizationId).Select(EventWire.Parse).ToList(),
            found => found.Count >= 1, TimeSpan.FromSeconds(15), "buffer.status_changed of the organization");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var change = Assert.Single(changes);
        EventSchemaRegistry.Default.Validate(change);
        Assert.Equal(("green", "red", moved.GetProperty("calculationId").GetString()), (change.Data.GetProperty("previous_status").GetString(),
            change.Data.GetProperty("planning_status").GetString(), change.Data.GetProperty("calculation_id").GetString()));
    }

    [Fact]
    public async Task Jobs_need_buffers_write_to_start_and_stay_inside_their_organization()
    {
        using var auth = new AuthApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        using var anonymous = fixture.CreateHttpClient("ddmrp");
        var owner = await Tenant.CreateAsync(auth);
        var intruder = await Tenant.CreateAsync(auth);

        Assert.Equal(HttpStatusCode.Forbidden, (await ddmrp.SendAsync(HttpMethod.Post, "/api/buffers/recalculations", owner.ViewerToken)).Status);
        using (var unauthenticated = await anonymous.PostAsync(new Uri("/api/buffers/recalculations", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        }

        var (status, job) = await ddmrp.SendAsync(HttpMethod.Post, "/api/buffers/recalculations", owner.AdminToken);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var jobId = job.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/recalculations/{jobId}", owner.ViewerToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/recalculations/{jobId}", intruder.AdminToken)).Status);
        var (_, theirs) = await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers/recalculations", intruder.AdminToken);
        Assert.Equal(0, theirs.GetProperty("total").GetInt64());

        foreach (var path in new[] { "/api/buffers/recalculations/not-a-uuid", "/api/buffers/recalculations?page=0", "/api/buffers/recalculations?pageSize=1000",
            "/api/buffers/recalculations?page=abc" })
        {
            var (bad, problem) = await ddmrp.SendAsync(HttpMethod.Get, path, owner.AdminToken);
            Assert.True(bad == HttpStatusCode.BadRequest, $"{path}: {(int)bad} {problem}");
        }
    }

    [Fact]
    public async Task Twenty_starts_at_once_never_run_two_whole_organization_jobs_side_by_side()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "CROWD-1");
        // A job with work in it (a chunk) once the copy holds the product.
        await Eventually.UntilAsync(() => RunJobAsync(ddmrp, tenant.AdminToken), j => j.GetProperty("products").GetInt32() == 1, Patience,
            "a job that sees the product");

        var crowdAt = DateTimeOffset.UtcNow;
        var answers = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => ddmrp.SendAsync(HttpMethod.Post, "/api/buffers/recalculations", tenant.AdminToken)));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"{(int)a.Status} {a.Body}"));
        var started = answers.Where(a => a.Status == HttpStatusCode.Accepted).Select(a => a.Body.GetProperty("id").GetString()!).ToHashSet();
        Assert.NotEmpty(started);
        // Every refusal names a job that was started.
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict),
            a => Assert.Contains(a.Body.GetProperty("runningJobId").GetString()!, started));

        // Each started job was queued only after the one before it had finished.
        var jobs = new List<JsonElement>();
        foreach (var id in started)
        {
            jobs.Add(await Eventually.UntilAsync(async () => (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/recalculations/{id}", tenant.AdminToken)).Body,
                j => j.GetProperty("status").GetString() == "completed", Patience, $"job {id} to complete"));
        }

        var ordered = jobs.OrderBy(j => j.GetProperty("queuedAt").GetDateTimeOffset()).ToList();
        foreach (var (before, after) in ordered.Zip(ordered.Skip(1)))
        {
            Assert.True(before.GetProperty("completedAt").GetDateTimeOffset() <= after.GetProperty("queuedAt").GetDateTimeOffset(),
                $"job {after.GetProperty("id")} was queued while {before.GetProperty("id")} ran");
        }

        // And no job was queued that the crowd was not told of.
        var (_, listed) = await ddmrp.SendAsync(HttpMethod.Get, "/api/buffers/recalculations?pageSize=100", tenant.AdminToken);
        Assert.Equal(started.Order(), listed.GetProperty("items").EnumerateArray()
            .Where(j => j.GetProperty("trigger").GetString() == "manual" && j.GetProperty("queuedAt").GetDateTimeOffset() >= crowdAt)
            .Select(j => j.GetProperty("id").GetString()!).Order());
    }

    [Fact]
    public async Task A_chunk_delivered_twice_counts_once()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, tenant.AdminToken, "TWICE-1");
        var job = await Eventually.UntilAsync(() => RunJobAsync(ddmrp, tenant.AdminToken), j => j.GetProperty("calculated").GetInt32() == 1, Patience,
            "a job that calculated the product");
        var jobId = job.GetProperty("id").GetGuid();

        // The same chunk again, as a second delivery under another message id would bring it.
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var again = EventWire.Envelope(new BufferRecalculationChunk(jobId, tenant.OrganizationId, 0, [Guid.Parse(productId)]), tenant.OrganizationId);
        await EventWire.PublishAsync(new NatsJSContext(nats), "ddmrp-work.buffer.recalculation_chunk", again.ToUtf8Json(), again.Id);

        // Taken from the work queue (acknowledged, so gone) without a second calculation or count.
        await Eventually.UntilAsync(async () => (await new NatsJSContext(nats).GetStreamAsync("DDMRP_WORK")).Info.State.Messages,
            left => left == 0, Patience, "the work queue to be drained");
        var (_, after) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/recalculations/{jobId}", tenant.AdminToken);
        Assert.Equal((1, 1), (after.GetProperty("calculated").GetInt32(), after.GetProperty("chunksDone").GetInt32()));
        var (_, buffer) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{productId}", tenant.AdminToken);
        Assert.Equal(1, buffer.GetProperty("historyTotal").GetInt64());
        // Handled (marked done), not dead-lettered.
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM processed_events WHERE consumer = 'ddmrp-recalculation' AND event_id = @v", again.Id));
        Assert.Empty(fixture.Alerts.AlertsFor(again.Id, "ddmrp-recalculation"));
    }

    [Fact]
    public async Task A_work_item_naming_another_organizations_job_is_refused_and_changes_nothing()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        using var ddmrp = new DdmrpApi(fixture);
        var owner = await Tenant.CreateAsync(auth);
        var intruder = await Tenant.CreateAsync(auth);
        var productId = await DdmrpApi.NewBufferedProductAsync(catalog, owner.AdminToken, "FORGED-1");
        var job = await Eventually.UntilAsync(() => RunJobAsync(ddmrp, owner.AdminToken), j => j.GetProperty("calculated").GetInt32() == 1, Patience,
            "a job that calculated the product");
        var jobId = job.GetProperty("id").GetGuid();
        var theirs = await DdmrpApi.NewBufferedProductAsync(catalog, intruder.AdminToken, "FORGED-2");

        // The owner's job, the intruder's organization and product, a chunk the job never had.
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var forged = EventWire.Envelope(new BufferRecalculationChunk(jobId, intruder.OrganizationId, 7, [Guid.Parse(theirs)]), intruder.OrganizationId);
        await EventWire.PublishAsync(new NatsJSContext(nats), "ddmrp-work.buffer.recalculation_chunk", forged.ToUtf8Json(), forged.Id);

        // Refused on each delivery, then dead-lettered for the DLQ worker's retries (and in the end parked for an operator).
        var jetStream = new NatsJSContext(nats);
        await Eventually.UntilAsync(async () => (await EventWire.ReadAllAsync(jetStream, EventStreams.DeadLetter, "dlq.ddmrp-work.buffer.recalculation_chunk"))
                .Count(m => EventWire.Parse(m).Id == forged.Id && EventWire.Header(m, EventHeaders.Consumer) == "ddmrp-recalculation"),
            n => n > 0, TimeSpan.FromSeconds(60), "the forged work item to be dead-lettered");
        var (_, after) = await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/recalculations/{jobId}", owner.AdminToken);
        Assert.Equal((1, 0, 1, 1), (after.GetProperty("calculated").GetInt32(), after.GetProperty("skipped").GetInt32(),
            after.GetProperty("chunksDone").GetInt32(), after.GetProperty("chunks").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/{theirs}", intruder.AdminToken)).Status);
    }

    /// <summary>Queues a whole-organization job (waiting out one that runs) and returns it once it completed.</summary>
    private static async Task<JsonElement> RunJobAsync(DdmrpApi ddmrp, string token)
    {
        var (status, body) = await ddmrp.SendAsync(HttpMethod.Post, "/api/buffers/recalculations", token);
        var id = status switch
        {
            HttpStatusCode.Accepted => body.GetProperty("id").GetString(),
            HttpStatusCode.Conflict => body.GetProperty("runningJobId").GetString(),
            _ => throw new InvalidOperationException($"POST /api/buffers/recalculations: {(int)status} {body}"),
        };
        return await Eventually.UntilAsync(async () => (await ddmrp.SendAsync(HttpMethod.Get, $"/api/buffers/recalculations/{id}", token)).Body,
            j => j.GetProperty("status").GetString() == "completed", Patience, $"job {id} to complete");
    }

    private async Task<long> ScalarAsync(string sql, object value)
    {
        await using var db = new Npgsql.NpgsqlConnection(await fixture.ConnectionStringAsync("ddmrpdb"));
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("v", value);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Waits until the buffer engine's copy of Catalog holds what <see cref="DdmrpApi.NewBufferedProductAsync"/> made for
    /// each product (a profile, a supplier, a link): their events (which recalculate a product that has a buffer) are
    /// then handled, and cannot land in the middle of a scenario. Before any calculation, only the events write these rows.
    /// </summary>
    private async Task CopyHoldsLinksAsync(Guid organizationId, int products)
    {
        await using var db = new Npgsql.NpgsqlConnection(await fixture.ConnectionStringAsync("ddmrpdb"));
        await db.OpenAsync();
        await Eventually.UntilAsync(async () =>
        {
            await using var count = new Npgsql.NpgsqlCommand("""
                SELECT LEAST((SELECT count(*) FROM catalog_supplier_links WHERE organization_id = @o),
                             (SELECT count(*) FROM catalog_buffer_profiles WHERE organization_id = @o),
                             (SELECT count(*) FROM catalog_suppliers WHERE organization_id = @o))
                """, db);
            count.Parameters.AddWithValue("o", organizationId);
            return (long)(await count.ExecuteScalarAsync())!;
        }, n => n >= products, Patience, $"the profiles, suppliers and links of {products} products in the copy of Catalog");
    }
}
