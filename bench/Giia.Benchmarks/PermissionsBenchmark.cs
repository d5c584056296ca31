extern alias service;

using System.Net;

using Aspire.Hosting;
using Aspire.Hosting.Testing;

using Giia.Auth.Grpc.V1;
using Giia.Tests.Auth;
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
/// Auth's gRPC API under load on loopback, all against one Auth replica in one run: the floor (grpc.health.v1 Check on
/// the same server), CheckPermission warm and cold (every call a user nobody has asked about, so it misses memory
/// and Redis and reads PostgreSQL), BatchCheckPermissions of 10, ValidateToken; one raw Npgsql query of the same
/// data for comparison; and warm CheckPermission at a fixed rate of half its own maximum.
/// </summary>
public static class PermissionsBenchmark
{
    private static readonly string[] TenPermissions =
    [
        "catalog:read", "catalog:write", "catalog:delete", "buffers:read", "buffers:write",
        "orders:read", "orders:write", "users:read", "users:write", "reports:read",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArguments(args);
        var concurrency = options.Number("concurrency", 16);
        var duration = TimeSpan.FromSeconds(options.Number("seconds", 10));
        var coldUsers = options.Number("cold-users", 30_000);

        // --no-audit: permission checks unaudited, to show what auditing every check costs.
        var fixture = GiiaAppFixture.WithArguments(args.Contains("--no-audit") ? ["--Giia:Audit:PermissionChecks=false"] : []);
        await fixture.InitializeAsync();
        try
        {
            // The second replica is not measured; stopped, it takes no CPU from the one that is.
            await fixture.StopResourceAsync("auth-2");
            using var auth = new AuthApi(fixture);
            var (admin, adminTokens) = await auth.RegisterVerifiedAsync();
            using var development = await DevelopmentTokens.LoadAsync(fixture);
            var connectionString = await fixture.ConnectionStringAsync("authdb");
            Console.WriteLine($"creating {coldUsers:N0} users for the cold runs...");
            var users = await CreateViewersAsync(connectionString, admin.OrganizationId, coldUsers);
            // Each user's session id is its own id (CreateViewersAsync gives each a live session so).
            var tokens = users.Select(u => development.Create(u, admin.OrganizationId, u, d => d.Expires = DateTime.UtcNow.AddHours(1))).ToArray();

            using var channel = GrpcChannel.ForAddress(fixture.App.GetEndpoint("auth", "grpc"), new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            });
            var client = new AuthService.AuthServiceClient(channel);
            var health = new Health.HealthClient(channel);
            var adminHeaders = AuthApi.Bearer(adminTokens.AccessToken);
            var check = new CheckPermissionRequest { UserId = admin.UserId.ToString(), OrganizationId = admin.OrganizationId.ToString(), Permission = "catalog:read" };
            var batch = new BatchCheckPermissionsRequest { UserId = check.UserId, OrganizationId = check.OrganizationId, Permissions = { TenPermissions } };
            var validate = new ValidateTokenRequest { Token = adminTokens.AccessToken };

            // Warm-up: connections, JIT, the admin's cache entry.
            await LoadRunner.ClosedLoopAsync("warm-up", concurrency, TimeSpan.FromSeconds(3), async _ =>
            {
                await client.CheckPermissionAsync(check, adminHeaders);
                await health.CheckAsync(new HealthCheckRequest());
                return true;
            });

            await SettleAsync(connectionString);
            var floor = await LoadRunner.ClosedLoopAsync("grpc.health.v1 Check (floor)", concurrency, duration, async _ =>
            {
                await health.CheckAsync(new HealthCheckRequest());
                return true;
            });
            await SettleAsync(connectionString);
            var warm = await LoadRunner.ClosedLoopAsync("CheckPermission, warm", concurrency, duration, async _ =>
            {
                var response = await client.CheckPermissionAsync(check, adminHeaders);
                return response.Allowed ? true : throw new InvalidOperationException("the admin was denied");
            });
            await SettleAsync(connectionString);
            var batched = await LoadRunner.ClosedLoopAsync("BatchCheckPermissions (10), warm", concurrency, duration, async _ =>
            {
                await client.BatchCheckPermissionsAsync(batch, adminHeaders);
                return true;
            });
            await SettleAsync(connectionString);
            var validated = await LoadRunner.ClosedLoopAsync("ValidateToken", concurrency, duration, async _ =>
            {
                var response = await client.ValidateTokenAsync(validate);
                return response.Valid ? true : throw new InvalidOperationException("the admin's token was refused");
            });
            await SettleAsync(connectionString);
            var cold = await LoadRunner.ClosedLoopAsync("CheckPermission, cold (memory and Redis miss)", concurrency, duration, async i =>
            {
                if (i > users.Length)
                {
                    return false;
                }

                var user = users[i - 1];
                var response = await client.CheckPermissionAsync(new CheckPermissionRequest
                {
                    UserId = user.ToString(),
                    OrganizationId = check.OrganizationId,
                    Permission = "catalog:read",
                }, AuthApi.Bearer(tokens[i - 1]));
                return response.Allowed ? true : throw new InvalidOperationException("a Viewer was denied catalog:read");
            });

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await SettleAsync(connectionString);
            var raw = await LoadRunner.ClosedLoopAsync("raw Npgsql query of the same data", concurrency, duration, async i =>
            {
                await RawQueryAsync(dataSource, users[(int)(i % users.Length)], admin.OrganizationId);
                return true;
            });

            var halfRate = warm.Throughput / 2;
            await SettleAsync(connectionString);
            var paced = await LoadRunner.FixedRateAsync($"CheckPermission, warm, at {halfRate:N0}/s (half its maximum)", halfRate, duration,
                async _ => await client.CheckPermissionAsync(check, adminHeaders));

            Console.WriteLine();
            Console.WriteLine($"gRPC on loopback, {concurrency} concurrent callers, {duration.TotalSeconds:0} s each, {Environment.ProcessorCount} cores shared by client and server");
            Console.WriteLine();
            Console.WriteLine("| measurement | throughput (/s) | of floor | p50 (ms) | p95 (ms) | p99 (ms) | samples | errors |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var result in new[] { floor, warm, batched, validated, cold, raw, paced })
            {
                var latency = result.Latency;
                Console.WriteLine($"| {latency.Name} | {result.Throughput:N0} | {result.Throughput / floor.Throughput:P0} | {latency.PercentileMs(50):0.00} | " +
                    $"{latency.PercentileMs(95):0.00} | {latency.PercentileMs(99):0.00} | {latency.Count:N0} | {result.Errors:N0} |");
            }

            Console.WriteLine();
            Console.WriteLine($"warm / floor throughput: {warm.Throughput / floor.Throughput:P0} (target ≥ 70%)");
            Console.WriteLine($"warm p99 at half its maximum rate: {paced.Latency.PercentileMs(99):0.00} ms (target ≤ 2 ms)");
            Console.WriteLine($"cold p95 / raw query p95: {cold.Latency.PercentileMs(95) / raw.Latency.PercentileMs(95):0.0}× (target ≤ 2×)");
            return 0;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    /// <summary>
    /// Waits until the audit records and events of the previous measurement are stored and relayed, so each
    /// measurement pays only for its own work (the writer and the relay run behind the calls, in the same CPUs).
    /// </summary>
    private static async Task SettleAsync(string connectionString)
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

    /// <summary>Active members of the organization holding the Viewer role, written straight to the database.</summary>
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
