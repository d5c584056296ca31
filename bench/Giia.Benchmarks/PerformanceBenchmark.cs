extern alias service;

using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

using Aspire.Hosting;
using Aspire.Hosting.Testing;

using Giia.Auth.Grpc.V1;
using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

using Microsoft.EntityFrameworkCore;

using Npgsql;

using service::Giia.Auth.Accounts;
using service::Giia.Auth.Data;
using service::Giia.Auth.Rbac;

using AccountUser = service::Giia.Auth.Accounts.User;

namespace Giia.Benchmarks;

/// <summary>
/// The read paths that every request pays for, each against its physical floor on the same server in the same run:
/// Auth's CheckPermission (warm, cold, batch of 10, at half its maximum rate) against <c>grpc.health.v1</c>, a raw
/// Npgsql query of the data a cold check reads, and Catalog's product reads (REST list, gRPC list and get) against
/// the same Catalog's bare endpoints. The system runs with production-like telemetry (traces sampled at the
/// production ratio, exported with metrics and logs over OTLP to a receiver in this process, no per-request logs);
/// then once more with every trace kept, to show what full tracing costs. Every check is audited, as shipped, and the
/// run fails unless the audit log holds exactly one record per check made and nothing was dropped. Writes the
/// tables (Markdown) and a plot of throughput and p99 against concurrency (PNG) to the output folder.
/// </summary>
public static class PerformanceBenchmark
{
    private static readonly string[] TenPermissions =
    [
        "catalog:read", "catalog:write", "catalog:delete", "buffers:read", "buffers:write",
        "orders:read", "orders:write", "users:read", "users:write", "reports:read",
    ];

    private static readonly int[] SweepConcurrency = [1, 2, 4, 8, 16, 32, 64];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArguments(args);
        var settings = new Settings(
            Concurrency: options.Number("concurrency", 16),
            Duration: TimeSpan.FromSeconds(options.Number("seconds", 8)),
            SweepDuration: TimeSpan.FromSeconds(options.Number("sweep-seconds", 3)),
            ColdUsers: options.Number("cold-users", 40_000),
            ProductionSampleRatio: double.Parse(options.Text("sample-ratio", "0.05"), CultureInfo.InvariantCulture));
        var output = Path.GetFullPath(options.Text("out", Path.Combine(RepositoryPaths.Root(), "docs", "performance")));
        Directory.CreateDirectory(output);

        await using var sink = await TelemetrySink.StartAsync();
        var production = await MeasureAsync(sink, settings, settings.ProductionSampleRatio, complete: true);
        var traced = await MeasureAsync(sink, settings, 1.0, complete: false);

        var report = Report(settings, production, traced);
        Console.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(output, "results.md"), report);
        Plot(production.Sweep, Path.Combine(output, "concurrency.png"));
        Console.WriteLine($"wrote {Path.Combine(output, "results.md")} and {Path.Combine(output, "concurrency.png")}");
        return production.AuditMismatch is null ? 0 : 1;
    }

    private sealed record Settings(int Concurrency, TimeSpan Duration, TimeSpan SweepDuration, int ColdUsers, double ProductionSampleRatio);

    private sealed record Row(string Name, LoadRunner.Result Result, LoadRunner.Result? Floor);

    private sealed record SweepPoint(string Series, int Concurrency, double Throughput, double P99Ms);

    private sealed record Run(double SampleRatio, List<Row> Rows, List<SweepPoint> Sweep, long ChecksMade, long AuditRows, long Dropped,
        string? AuditMismatch, long TraceBytes, TimeSpan Elapsed);

    private static async Task<Run> MeasureAsync(TelemetrySink sink, Settings settings, double sampleRatio, bool complete)
    {
        var started = DateTime.UtcNow;
        var traceBytesBefore = sink.TraceBytes;
        var fixture = new GiiaAppFixture
        {
            ExtraArguments = [$"--Giia:Telemetry:TraceSampleRatio={sampleRatio.ToString(CultureInfo.InvariantCulture)}"],
            LogAuthRequests = false,
            ServiceEnvironment = sink.Environment,
        };
        await fixture.InitializeAsync();
        try
        {
            // One Auth replica is measured; the second, stopped, takes no CPU from it.
            await fixture.StopResourceAsync("auth-2");
            var rows = new List<Row>();
            var sweep = new List<SweepPoint>();
            long checks = 0;
            using var auth = new AuthApi(fixture);
            var (admin, adminTokens) = await auth.RegisterVerifiedAsync();
            var authConnection = await fixture.ConnectionStringAsync("authdb");
            var coldUsers = complete ? settings.ColdUsers : 0;
            Console.WriteLine($"creating {coldUsers:N0} users for the cold checks...");
            var users = await CreateViewersAsync(authConnection, admin.OrganizationId, coldUsers);
            using var development = await DevelopmentTokens.LoadAsync(fixture);
            var tokens = users.Select(u => development.Create(u, admin.OrganizationId, u, d => d.Expires = DateTime.UtcNow.AddHours(2))).ToArray();
            long nextCold = 0;

            using var authChannel = Channel(fixture, "auth");
            var authClient = new AuthService.AuthServiceClient(authChannel);
            var authHealth = new Health.HealthClient(authChannel);
            var adminHeaders = AuthApi.Bearer(adminTokens.AccessToken);
            var check = new CheckPermissionRequest
            {
                UserId = admin.UserId.ToString(),
                OrganizationId = admin.OrganizationId.ToString(),
                Permission = "catalog:read",
            };
            var batch = new BatchCheckPermissionsRequest { UserId = check.UserId, OrganizationId = check.OrganizationId, Permissions = { TenPermissions } };

            async Task<bool> FloorAsync()
            {
                await authHealth.CheckAsync(new HealthCheckRequest());
                return true;
            }

            async Task<bool> WarmAsync()
            {
                var response = await authClient.CheckPermissionAsync(check, adminHeaders);
                Interlocked.Increment(ref checks);
                return response.Allowed ? true : throw new InvalidOperationException("the admin was denied");
            }

            var malformed = new CheckPermissionRequest { UserId = "not-a-uuid", OrganizationId = check.OrganizationId, Permission = "catalog:read" };

            async Task<bool> RefusedAsync()
            {
                try
                {
                    await authClient.CheckPermissionAsync(malformed, adminHeaders);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
                {
                    return true;
                }

                throw new InvalidOperationException("a malformed user id was answered");
            }

            async Task<bool> BatchAsync()
            {
                var response = await authClient.BatchCheckPermissionsAsync(batch, adminHeaders);
                Interlocked.Add(ref checks, response.Results.Count);
                return true;
            }

            async Task<bool> ColdAsync()
            {
                var i = Interlocked.Increment(ref nextCold);
                if (i > users.Length)
                {
                    return false;
                }

                var response = await authClient.CheckPermissionAsync(new CheckPermissionRequest
                {
                    UserId = users[i - 1].ToString(),
                    OrganizationId = check.OrganizationId,
                    Permission = "catalog:read",
                }, AuthApi.Bearer(tokens[i - 1]));
                Interlocked.Increment(ref checks);
                return response.Allowed ? true : throw new InvalidOperationException("a Viewer was denied catalog:read");
            }

            await LoadRunner.ClosedLoopAsync("warm-up", settings.Concurrency, TimeSpan.FromSeconds(3), async _ => await WarmAsync() && await FloorAsync());
            await SettleAsync(authConnection);
            var floor = await LoadRunner.ClosedLoopAsync("grpc.health.v1 Check on Auth (floor)", settings.Concurrency, settings.Duration, _ => FloorAsync());
            rows.Add(new Row(floor.Latency.Name, floor, null));
            await SettleAsync(authConnection);
            var warm = await LoadRunner.ClosedLoopAsync("CheckPermission, warm", settings.Concurrency, settings.Duration, _ => WarmAsync());
            rows.Add(new Row(warm.Latency.Name, warm, floor));
            if (complete)
            {
                await SettleAsync(authConnection);
                var refused = await LoadRunner.ClosedLoopAsync("CheckPermission refused at once (malformed user id)", settings.Concurrency,
                    settings.Duration, _ => RefusedAsync());
                rows.Add(new Row(refused.Latency.Name, refused, floor));
                await SettleAsync(authConnection);
                var batched = await LoadRunner.ClosedLoopAsync("BatchCheckPermissions (10), warm", settings.Concurrency, settings.Duration, _ => BatchAsync());
                rows.Add(new Row(batched.Latency.Name, batched, floor));
                await SettleAsync(authConnection);
                var cold = await LoadRunner.ClosedLoopAsync("CheckPermission, cold (token never seen, caches empty)", settings.Concurrency,
                    settings.Duration, _ => ColdAsync());
                rows.Add(new Row(cold.Latency.Name, cold, floor));
                await using var dataSource = NpgsqlDataSource.Create(authConnection);
                await SettleAsync(authConnection);
                var raw = await LoadRunner.ClosedLoopAsync("raw Npgsql query of the cold check's data", settings.Concurrency, settings.Duration,
                    async i =>
                    {
                        await RawQueryAsync(dataSource, users[(int)(i % users.Length)], admin.OrganizationId);
                        return true;
                    });
                rows.Add(new Row(raw.Latency.Name, raw, floor));
                var halfRate = warm.Throughput / 2;
                await SettleAsync(authConnection);
                var paced = await LoadRunner.FixedRateAsync($"CheckPermission, warm, at {halfRate:N0}/s (half its maximum)", halfRate,
                    settings.Duration, async _ => await WarmAsync());
                rows.Add(new Row(paced.Latency.Name, paced, floor));

                foreach (var concurrency in SweepConcurrency)
                {
                    await SettleAsync(authConnection);
                    sweep.Add(Point("grpc.health.v1 (floor)", concurrency,
                        await LoadRunner.ClosedLoopAsync($"floor at {concurrency}", concurrency, settings.SweepDuration, _ => FloorAsync())));
                    await SettleAsync(authConnection);
                    sweep.Add(Point("CheckPermission, warm", concurrency,
                        await LoadRunner.ClosedLoopAsync($"warm at {concurrency}", concurrency, settings.SweepDuration, _ => WarmAsync())));
                    await SettleAsync(authConnection);
                    sweep.Add(Point("CheckPermission, cold", concurrency,
                        await LoadRunner.ClosedLoopAsync($"cold at {concurrency}", concurrency, settings.SweepDuration, _ => ColdAsync())));
                }
            }

            // Every check made so far is one audit record, stored and none dropped (Catalog's own checks come later).
            var (auditRows, dropped) = await AuditedAsync(fixture, authConnection, admin.OrganizationId);
            var made = Interlocked.Read(ref checks);
            var mismatch = auditRows == made && dropped == 0 ? null
                : $"audit: {auditRows:N0} permission.check records and {dropped:N0} dropped for {made:N0} checks made";
            Console.WriteLine(mismatch ?? $"audit: {auditRows:N0} records for {made:N0} checks made, none dropped");

            await CatalogRowsAsync(fixture, settings, adminTokens.AccessToken, rows, sweep, complete);
            return new Run(sampleRatio, rows, sweep, made, auditRows, dropped, mismatch, sink.TraceBytes - traceBytesBefore, DateTime.UtcNow - started);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task CatalogRowsAsync(GiiaAppFixture fixture, Settings settings, string token, List<Row> rows, List<SweepPoint> sweep, bool complete)
    {
        using var catalog = new CatalogApi(fixture);
        Console.WriteLine("creating 200 products...");
        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            ids.Add((await CatalogApi.NewProductAsync(catalog, token, $"BENCH-{i:D4}")).GetProperty("id").GetString()!);
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = fixture.App.GetEndpoint("catalog", "http") };
        using var channel = Channel(fixture, "catalog");
        var grpc = new CatalogService.CatalogServiceClient(channel);
        var health = new Health.HealthClient(channel);
        var headers = AuthApi.Bearer(token);
        var list = new ListProductsRequest { PageSize = 50 };

        async Task<bool> RestListAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/products?pageSize=50", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            return true;
        }

        async Task<bool> RestFloorAsync()
        {
            using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
            response.EnsureSuccessStatusCode();
            return true;
        }

        async Task<bool> GrpcFloorAsync()
        {
            await health.CheckAsync(new HealthCheckRequest());
            return true;
        }

        async Task<bool> GrpcListAsync()
        {
            var response = await grpc.ListProductsAsync(list, headers);
            return response.Products.Count == 50 ? true : throw new InvalidOperationException("a short page");
        }

        async Task<bool> GrpcGetAsync(long i)
        {
            await grpc.GetProductAsync(new GetProductRequest { Id = ids[(int)(i % ids.Count)] }, headers);
            return true;
        }

        await LoadRunner.ClosedLoopAsync("warm-up", settings.Concurrency, TimeSpan.FromSeconds(3), async i =>
            await RestListAsync() && await GrpcListAsync() && await GrpcGetAsync(i));
        var restFloor = await LoadRunner.ClosedLoopAsync("REST GET /health/live on Catalog (floor)", settings.Concurrency, settings.Duration, _ => RestFloorAsync());
        rows.Add(new Row(restFloor.Latency.Name, restFloor, null));
        var restList = await LoadRunner.ClosedLoopAsync("REST GET /api/products?pageSize=50", settings.Concurrency, settings.Duration, _ => RestListAsync());
        rows.Add(new Row(restList.Latency.Name, restList, restFloor));
        if (!complete)
        {
            return;
        }

        var grpcFloor = await LoadRunner.ClosedLoopAsync("gRPC grpc.health.v1 Check on Catalog (floor)", settings.Concurrency, settings.Duration, _ => GrpcFloorAsync());
        rows.Add(new Row(grpcFloor.Latency.Name, grpcFloor, null));
        var grpcList = await LoadRunner.ClosedLoopAsync("gRPC ListProducts (page_size 50)", settings.Concurrency, settings.Duration, _ => GrpcListAsync());
        rows.Add(new Row(grpcList.Latency.Name, grpcList, grpcFloor));
        var grpcGet = await LoadRunner.ClosedLoopAsync("gRPC GetProduct", settings.Concurrency, settings.Duration, GrpcGetAsync);
        rows.Add(new Row(grpcGet.Latency.Name, grpcGet, grpcFloor));
        foreach (var concurrency in SweepConcurrency)
        {
            sweep.Add(Point("Catalog REST list of 50", concurrency,
                await LoadRunner.ClosedLoopAsync($"catalog list at {concurrency}", concurrency, settings.SweepDuration, _ => RestListAsync())));
        }
    }

    private static GrpcChannel Channel(GiiaAppFixture fixture, string resource) =>
        GrpcChannel.ForAddress(fixture.App.GetEndpoint(resource, "grpc"), new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });

    private static SweepPoint Point(string series, int concurrency, LoadRunner.Result result) =>
        new(series, concurrency, result.Throughput, result.Latency.PercentileMs(99));

    /// <summary>The organization's permission-check records once Auth's audit queue is empty, and what Auth dropped.</summary>
    private static async Task<(long Rows, long Dropped)> AuditedAsync(GiiaAppFixture fixture, string connectionString, Guid organizationId)
    {
        using var http = fixture.CreateHttpClient("auth");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var (_, readiness) = await ServiceProbes.ReadinessAsync(http);
            var audit = ServiceProbes.Check(readiness, "audit").GetProperty("data");
            if (audit.GetProperty("queued").GetInt64() == 0 || DateTime.UtcNow > deadline)
            {
                await SettleAsync(connectionString);
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var count = new NpgsqlCommand(
                    "SELECT count(*) FROM audit_logs WHERE action = 'permission.check' AND organization_id = $1", connection)
                {
                    Parameters = { new NpgsqlParameter { Value = organizationId } },
                };
                return ((long)(await count.ExecuteScalarAsync())!, audit.GetProperty("dropped").GetInt64());
            }

            await Task.Delay(500);
        }
    }

    private static string Report(Settings settings, Run production, Run traced)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores shared by the load and the whole system; {settings.Concurrency} concurrent callers, {settings.Duration.TotalSeconds:0} s a row, every check audited.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Production-like telemetry (traces sampled at {production.SampleRatio:0.##}, OTLP export of traces, metrics and logs):");
        text.AppendLine();
        AppendTable(text, production.Rows);
        text.AppendLine();
        var verdict = production.AuditMismatch is null ? " (equal: none lost)." : " — MISMATCH.";
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Audit: {production.AuditRows:N0} permission.check records for {production.ChecksMade:N0} checks made, {production.Dropped:N0} dropped{verdict}");
        text.AppendLine();
        text.AppendLine("Every trace kept (sample ratio 1.0), same run:");
        text.AppendLine();
        AppendTable(text, traced.Rows);
        text.AppendLine();
        text.AppendLine("| cost of keeping every trace | sampled | every trace | change |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var row in traced.Rows)
        {
            if (production.Rows.FirstOrDefault(r => r.Name == row.Name) is { } sampled)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Name} | {sampled.Result.Throughput:N0}/s | {row.Result.Throughput:N0}/s | {row.Result.Throughput / sampled.Result.Throughput - 1:+0%;-0%} |");
            }
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Trace data exported: {production.TraceBytes / 1024.0 / 1024:N1} MiB sampled ({production.Elapsed.TotalMinutes:0.0} min), {traced.TraceBytes / 1024.0 / 1024:N1} MiB with every trace ({traced.Elapsed.TotalMinutes:0.0} min).");
        text.AppendLine();
        text.AppendLine("Against concurrency (the plot), production-like telemetry:");
        text.AppendLine();
        text.AppendLine("| series | " + string.Join(" | ", SweepConcurrency.Select(c => $"{c}")) + " |");
        text.AppendLine("|---|" + string.Concat(SweepConcurrency.Select(_ => "---:|")));
        foreach (var series in production.Sweep.GroupBy(p => p.Series))
        {
            var throughputs = string.Join(" | ", series.Select(p => p.Throughput.ToString("N0", CultureInfo.InvariantCulture)));
            var p99s = string.Join(" | ", series.Select(p => p.P99Ms.ToString("0.00", CultureInfo.InvariantCulture)));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {series.Key}: throughput (/s) | {throughputs} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {series.Key}: p99 (ms) | {p99s} |");
        }

        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, List<Row> rows)
    {
        text.AppendLine("| measurement | throughput (/s) | of floor | p50 (ms) | p95 (ms) | p99 (ms) | samples | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, result, floor) in rows)
        {
            var latency = result.Latency;
            var share = floor is null ? "100 %" : (result.Throughput / floor.Throughput).ToString("P0", CultureInfo.InvariantCulture);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {result.Throughput:N0} | {share} | {latency.PercentileMs(50):0.00} | " +
                $"{latency.PercentileMs(95):0.00} | {latency.PercentileMs(99):0.00} | {latency.Count:N0} | {result.Errors:N0} |");
        }
    }

    private static void Plot(List<SweepPoint> sweep, string path)
    {
        var multiplot = new ScottPlot.Multiplot();
        ScottPlot.IMultiplotExtensions.AddPlots(multiplot, 2);
        var throughput = ScottPlot.IMultiplotExtensions.GetPlot(multiplot, 0);
        var p99 = ScottPlot.IMultiplotExtensions.GetPlot(multiplot, 1);
        // Concurrency doubles from point to point: plotted on log2 positions, labelled with the real values.
        var positions = SweepConcurrency.Select(c => Math.Log2(c)).ToArray();
        var labels = SweepConcurrency.Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        foreach (var series in sweep.GroupBy(p => p.Series))
        {
            var xs = series.Select(p => Math.Log2(p.Concurrency)).ToArray();
            throughput.Add.Scatter(xs, series.Select(p => p.Throughput).ToArray()).LegendText = series.Key;
            p99.Add.Scatter(xs, series.Select(p => p.P99Ms).ToArray()).LegendText = series.Key;
        }

        foreach (var (plot, label) in new[] { (throughput, "throughput (calls/s)"), (p99, "p99 latency (ms)") })
        {
            plot.Axes.Bottom.SetTicks(positions, labels);
            plot.Axes.Bottom.Label.Text = "concurrent callers";
            plot.Axes.Left.Label.Text = label;
            plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        }

        throughput.Title("GIIA read paths against their floor (2 cores, production-like telemetry)");
        ScottPlot.IMultiplotExtensions.SavePng(multiplot, path, 1000, 900);
    }

    /// <summary>
    /// Waits until the audit records and events of the previous measurement are stored and relayed, so each
    /// measurement pays only for its own work (the writer and the relay run behind the calls, in the same CPUs).
    /// </summary>
    public static async Task SettleAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", connection);
        var quiet = 0;
        while (quiet < 3)
        {
            await Task.Delay(500);
            quiet = (long)(await command.ExecuteScalarAsync())! == 0 ? quiet + 1 : 0;
        }
    }

    /// <summary>Active members of the organization holding the Viewer role, each with a live session, written straight to the database.</summary>
    private static async Task<Guid[]> CreateViewersAsync(string connectionString, Guid organizationId, int count)
    {
        var options = new DbContextOptionsBuilder<AuthDbContext>().UseNpgsql(connectionString).Options;
        await using var db = new AuthDbContext(options);
        var viewer = await db.Roles.Where(r => r.OrganizationId == null && r.Name == "Viewer").Select(r => r.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var ids = new Guid[count];
        for (var start = 0; start < count; start += 2_000)
        {
            db.ChangeTracker.Clear();
            for (var i = start; i < Math.Min(count, start + 2_000); i++)
            {
                ids[i] = Guid.CreateVersion7();
                db.Users.Add(new AccountUser
                {
                    Id = ids[i],
                    OrganizationId = organizationId,
                    Email = $"load-{ids[i]:N}@example.com",
                    Name = "Load",
                    Status = UserStatus.Active,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
                db.UserRoles.Add(new UserRole { UserId = ids[i], RoleId = viewer, OrganizationId = organizationId, AssignedAt = now });
                // The session id of each user's tokens is the user's own id.
                db.RefreshTokens.Add(new service::Giia.Auth.Sessions.RefreshToken
                {
                    Id = Guid.CreateVersion7(),
                    UserId = ids[i],
                    FamilyId = ids[i],
                    TokenHash = Guid.NewGuid().ToByteArray(),
                    CreatedAt = now,
                    SessionStartedAt = now,
                    ExpiresAt = now.AddDays(1),
                });
            }

            await db.SaveChangesAsync();
        }

        return ids;
    }

    /// <summary>The data of a cold check in one statement: the user's status and the names their roles grant.</summary>
    private static async Task RawQueryAsync(NpgsqlDataSource dataSource, Guid userId, Guid organizationId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT u.status, p.name
            FROM users u
            LEFT JOIN user_roles ur ON ur.user_id = u.id AND ur.organization_id = u.organization_id
            LEFT JOIN role_permissions rp ON rp.role_id = ur.role_id
            LEFT JOIN permissions p ON p.id = rp.permission_id
            WHERE u.id = $1 AND u.organization_id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = organizationId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _ = reader.GetValue(1);
        }
    }
}
