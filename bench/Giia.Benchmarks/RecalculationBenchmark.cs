using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Aspire.Hosting.Testing;

using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Npgsql;

using NpgsqlTypes;

namespace Giia.Benchmarks;

/// <summary>
/// A whole-organization recalculation end to end: N products (default 10,000), each with 365 days of usage, an
/// on-hand position, a profile whose ADU reads all 365 days and a primary supplier link, put straight into the buffer
/// engine's tables (the copy of Catalog and the inputs, as Catalog's events and the input endpoints would leave them);
/// then POST /api/buffers/recalculations and the job followed to its end. The floor, measured in the same run, is
/// the least any recalculation must do with that data: read every usage row once, chunk by chunk.
/// </summary>
public static class RecalculationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArguments(args);
        var products = options.Number("products", 10_000);
        var days = options.Number("days", 365);
        var fixture = new GiiaAppFixture();
        await fixture.InitializeAsync();
        try
        {
            using var auth = new AuthApi(fixture);
            var (admin, tokens) = await auth.RegisterVerifiedAsync();
            var organizationId = admin.OrganizationId;
            await using var db = NpgsqlDataSource.Create(await fixture.ConnectionStringAsync("ddmrpdb"));
            var ids = Enumerable.Range(0, products).Select(_ => Guid.CreateVersion7()).Order().ToArray();

            var seeding = Stopwatch.StartNew();
            await SeedAsync(db, organizationId, ids, days);
            Console.WriteLine($"seeded {products:N0} products and {products * (long)days:N0} usage rows in {seeding.Elapsed.TotalSeconds:F1} s");
            await using (var analyze = db.CreateCommand("ANALYZE"))
            {
                await analyze.ExecuteNonQueryAsync();
            }

            var floor = await ReadFloorAsync(db, organizationId, ids);

            using var http = fixture.CreateHttpClient("ddmrp");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            var clock = Stopwatch.StartNew();
            using var started = await http.PostAsync(new Uri("/api/buffers/recalculations", UriKind.Relative), null);
            started.EnsureSuccessStatusCode();
            var jobId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            JsonElement job;
            do
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
                job = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/buffers/recalculations/{jobId}", UriKind.Relative));
            }
            while (job.GetProperty("status").GetString() is "queued" or "running");

            var wall = clock.Elapsed;
            var serverSide = job.GetProperty("completedAt").GetDateTimeOffset() - job.GetProperty("queuedAt").GetDateTimeOffset();
            var calculated = job.GetProperty("calculated").GetInt32();
            var stored = await ScalarAsync(db, "SELECT count(*) FROM buffer_calculations WHERE organization_id = $1", organizationId);
            var drained = await OutboxDrainAsync(db, clock);

            Console.WriteLine();
            Console.WriteLine($"| measurement | time (s) | products per second | usage rows per second | ratio to floor |");
            Console.WriteLine($"|---|---:|---:|---:|---:|");
            Console.WriteLine($"| floor: read every usage row once, 100 products a statement | {floor.TotalSeconds:F2} | {products / floor.TotalSeconds:N0} | {products * (double)days / floor.TotalSeconds:N0} | 1.0x |");
            Console.WriteLine($"| recalculation job, queued to last chunk (server) | {serverSide.TotalSeconds:F2} | {products / serverSide.TotalSeconds:N0} | {products * (double)days / serverSide.TotalSeconds:N0} | {serverSide / floor:F1}x |");
            Console.WriteLine($"| recalculation job, POST to completed seen (client) | {wall.TotalSeconds:F2} | {products / wall.TotalSeconds:N0} | {products * (double)days / wall.TotalSeconds:N0} | {wall / floor:F1}x |");
            Console.WriteLine($"| until every buffer.calculated left the outbox | {drained.TotalSeconds:F2} | {products / drained.TotalSeconds:N0} | | {drained / floor:F1}x |");
            Console.WriteLine();
            Console.WriteLine($"job {job.GetProperty("status").GetString()}: {calculated:N0} calculated, {job.GetProperty("skipped").GetInt32():N0} skipped, "
                + $"{job.GetProperty("chunksDone").GetInt32()} chunks; {stored:N0} calculations stored");
            return calculated == products && stored == products ? 0 : 1;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task SeedAsync(NpgsqlDataSource db, Guid organizationId, Guid[] ids, int days)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var profileId = Guid.CreateVersion7();
        var supplierId = Guid.CreateVersion7();
        await using (var setup = db.CreateCommand("""
            INSERT INTO catalog_buffer_profiles (organization_id, buffer_profile_id, name, adu_method, lead_time_factor, variability_factor,
                adu_horizon_days, adu_forward_horizon_days, adu_alpha, adu_past_weight, adu_forward_weight, spike_threshold_percent,
                spike_horizon_days, parameters_known, version)
            VALUES ($1, $2, 'Bench', 'average', 0.5, 0.6, $4, 90, 0.3, 0.5, 0.5, 50, NULL, true, $5)
            """))
        {
            setup.Parameters.AddWithValue(organizationId);
            setup.Parameters.AddWithValue(profileId);
            setup.Parameters.AddWithValue(supplierId);
            setup.Parameters.AddWithValue(days);
            setup.Parameters.AddWithValue(now);
            await setup.ExecuteNonQueryAsync();
        }

        await using (var supplier = db.CreateCommand(
            "INSERT INTO catalog_suppliers (organization_id, supplier_id, default_lead_time_days, version) VALUES ($1, $2, 10, $3)"))
        {
            supplier.Parameters.AddWithValue(organizationId);
            supplier.Parameters.AddWithValue(supplierId);
            supplier.Parameters.AddWithValue(now);
            await supplier.ExecuteNonQueryAsync();
        }

        await using var connection = await db.OpenConnectionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY catalog_products (organization_id, product_id, sku, status, buffer_profile_id, lead_time_override_days, order_cycle_days, unit_precision, demand_adjustments, terms_known, version) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < ids.Length; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(organizationId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(ids[i], NpgsqlDbType.Uuid);
                await copy.WriteAsync($"BENCH-{i:D5}", NpgsqlDbType.Varchar);
                await copy.WriteAsync("active", NpgsqlDbType.Varchar);
                await copy.WriteAsync(profileId, NpgsqlDbType.Uuid);
                await copy.WriteNullAsync();
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync("[]", NpgsqlDbType.Jsonb);
                await copy.WriteAsync(true, NpgsqlDbType.Boolean);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY catalog_supplier_links (organization_id, product_id, supplier_id, lead_time_days, minimum_order_quantity, order_multiple, is_primary, removed, version) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in ids)
            {
                await copy.WriteRowAsync(default, organizationId, id, supplierId, 10, 100m, 50m, true, false, now);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY on_hand_positions (organization_id, product_id, quantity, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var id in ids)
            {
                await copy.WriteRowAsync(default, organizationId, id, 150m, now);
            }

            await copy.CompleteAsync();
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY daily_quantities (organization_id, product_id, kind, day, quantity, updated_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < ids.Length; i++)
            {
                for (var d = 1; d <= days; d++)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(organizationId, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(ids[i], NpgsqlDbType.Uuid);
                    await copy.WriteAsync("Usage", NpgsqlDbType.Varchar);
                    await copy.WriteAsync(today.AddDays(-d), NpgsqlDbType.Date);
                    await copy.WriteAsync((decimal)(5 + ((i + d) % 11)), NpgsqlDbType.Numeric);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
            }

            await copy.CompleteAsync();
        }
    }

    private static async Task<TimeSpan> ReadFloorAsync(NpgsqlDataSource db, Guid organizationId, Guid[] ids)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        decimal sum = 0;
        foreach (var chunk in ids.Chunk(100))
        {
            await using var read = db.CreateCommand(
                "SELECT product_id, day, quantity FROM daily_quantities WHERE organization_id = $1 AND product_id = ANY($2) AND kind = 'Usage'");
            read.Parameters.AddWithValue(organizationId);
            read.Parameters.AddWithValue(chunk);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                sum += reader.GetDecimal(2);
                rows++;
            }
        }

        Console.WriteLine($"floor read {rows:N0} rows (sum {sum:N0}) in {clock.Elapsed.TotalSeconds:F2} s");
        return clock.Elapsed;
    }

    private static async Task<TimeSpan> OutboxDrainAsync(NpgsqlDataSource db, Stopwatch clock)
    {
        while (await ScalarAsync(db, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", null) > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return clock.Elapsed;
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, Guid? organizationId)
    {
        await using var command = db.CreateCommand(sql);
        if (organizationId is { } id)
        {
            command.Parameters.AddWithValue(id);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
