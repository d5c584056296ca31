using System.Net;
using System.Text.Json;

using Giia.Tests.Infrastructure;

using Npgsql;

namespace Giia.Tests.Platform;

/// <summary>
/// Migrations are a step of their own: a service started on an empty database does not migrate it and stays unready
/// (schema), the service started with <c>migrate</c> applies migrations and seeding and exits 0 (again and again),
/// after which the running service becomes ready by itself.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class MigrateCommandTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Service_leaves_an_empty_database_alone_until_migrate_has_run_to_completion()
    {
        var server = new NpgsqlConnectionStringBuilder(await fixture.ConnectionStringAsync("catalogdb"));
        var database = $"migrate_{Guid.NewGuid():N}";
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE \"{database}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;
        try
        {
            var httpPort = GiiaAppFixture.FreePort();
            await using var service = ServiceProcess.Start(new Projects.Giia_Catalog(), new Dictionary<string, string>
            {
                ["ConnectionStrings__catalogdb"] = connectionString,
                ["ConnectionStrings__nats"] = await fixture.ConnectionStringAsync("nats"),
                ["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{httpPort}",
                ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
            });
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            var (status, schema) = await Eventually.UntilAsync(() => ReadinessAsync(client), r => r.Status is not null,
                TimeSpan.FromSeconds(90), () => $"catalog to answer readiness; output: {service.Output}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", schema);
            Assert.False(await TableExistsAsync(connectionString, "products"), "the service migrated at start");

            for (var run = 0; run < 2; run++)
            {
                await using var migrate = ServiceProcess.Start(new Projects.Giia_Catalog(),
                    new Dictionary<string, string> { ["ConnectionStrings__catalogdb"] = connectionString }, "migrate");
                Assert.True(await migrate.WaitForExitAsync(TimeSpan.FromMinutes(2)) == 0, migrate.Output);
                Assert.True(await TableExistsAsync(connectionString, "products"));
            }

            await Eventually.UntilAsync(() => ReadinessAsync(client), r => r.Schema == "Healthy", TimeSpan.FromSeconds(60),
                () => $"the schema check to pass once migrated; output: {service.Output}");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server.ConnectionString, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    private static async Task<(HttpStatusCode? Status, string? Schema)> ReadinessAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var schema = body.RootElement.GetProperty("checks").EnumerateArray()
                .Single(c => c.GetProperty("name").GetString() == "schema").GetProperty("status").GetString();
            return (response.StatusCode, schema);
        }
        catch (HttpRequestException)
        {
            return (null, null);
        }
    }

    private static async Task<bool> TableExistsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"public.{table}" });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
