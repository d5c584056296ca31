using System.Diagnostics;

using Giia.AppHost.Infrastructure;
using Giia.Tests.Infrastructure;

using Npgsql;

namespace Giia.Tests.Platform;

/// <summary>
/// Each service reaches PostgreSQL as a role of its own, never the superuser: the application's role reads and writes
/// rows of its own database only, its migrations run as the database's owner, and Auth's audit trail refuses UPDATE,
/// DELETE and TRUNCATE in the database itself. The cluster's psql script sets the same roles up.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class DatabaseRoleTests(GiiaAppFixture fixture)
{
    public static TheoryData<string, string> Services => new()
    {
        { "auth", "authdb" }, { "catalog", "catalogdb" }, { "dlq-worker", "dlqdb" }, { "ddmrp", "ddmrpdb" },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_service_and_its_migrations_log_in_as_their_own_roles_and_never_see_the_superuser_password(string service, string database)
    {
        var roles = new DatabaseRoles(database);
        var superuserPassword = await fixture.ParameterAsync("postgres-password");
        foreach (var (resource, role) in new[] { (service, roles.Application), ($"{service}-migrate", roles.Owner) })
        {
            var environment = await EnvironmentOfAsync(resource);
            var connection = new NpgsqlConnectionStringBuilder(environment[$"ConnectionStrings__{database}"]);
            Assert.Equal((role, database), (connection.Username, connection.Database));
            Assert.DoesNotContain(environment, e => e.Value.Contains(superuserPassword, StringComparison.Ordinal));

            await using var session = new NpgsqlConnection(connection.ConnectionString);
            await session.OpenAsync();
            await using var attributes = new NpgsqlCommand(
                "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication FROM pg_roles WHERE rolname = current_user", session);
            await using var reader = await attributes.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((false, false, false, false, false),
                (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4)));
        }
    }

    [Fact]
    public async Task Audit_rows_are_appended_through_Auths_connection_and_refuse_update_delete_and_truncate_for_every_role()
    {
        var id = Guid.NewGuid();
        var application = await ServiceConnectionAsync("auth", "authdb");
        await ExecuteAsync(application, $"""
            INSERT INTO audit_logs (id, action, resource, result, created_at)
            VALUES ('{id}', 'test.append', 'audit', 'success', now())
            """);

        var owner = await ServiceConnectionAsync("auth-migrate", "authdb");
        var superuser = await fixture.ConnectionStringAsync("authdb");
        foreach (var (who, connection) in new[] { ("application", application), ("owner", owner), ("superuser", superuser) })
        {
            foreach (var change in new[]
                     {
                         $"UPDATE audit_logs SET result = 'forged' WHERE id = '{id}'",
                         $"DELETE FROM audit_logs WHERE id = '{id}'",
                         "TRUNCATE audit_logs",
                     })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, change));
                Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{who}: {change}: {refused.SqlState} {refused.MessageText}");
            }
        }

        // The application's role lacks the privilege itself (refused before the trigger is reached).
        var privilege = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(application, $"DELETE FROM audit_logs WHERE id = '{id}'"));
        Assert.Contains("permission denied", privilege.MessageText, StringComparison.Ordinal);
        Assert.Equal("success", await ScalarAsync<string>(superuser, $"SELECT result FROM audit_logs WHERE id = '{id}'"));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_service_role_reaches_only_its_own_database_and_changes_no_schema(string service, string database)
    {
        var application = await ServiceConnectionAsync(service, database);
        foreach (var other in Services.Select(s => (string)s[1]).Where(d => d != database))
        {
            var elsewhere = new NpgsqlConnectionStringBuilder(application) { Database = other, Pooling = false };
            await using var connection = new NpgsqlConnection(elsewhere.ConnectionString);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        var table = await ScalarAsync<string>(application,
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory' ORDER BY tablename LIMIT 1");
        foreach (var change in new[]
                 {
                     "CREATE TABLE intruder (id int)",
                     $"TRUNCATE \"{table}\"",
                     $"DROP TABLE \"{table}\"",
                     $"ALTER TABLE \"{table}\" ADD COLUMN intruder int",
                     "CREATE FUNCTION intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(application, change));
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{service}: {change}: {refused.SqlState} {refused.MessageText}");
        }

        // Rows are what it may touch.
        Assert.True(await ScalarAsync<long>(application, $"SELECT count(*) FROM \"{table}\"") >= 0);
    }

    [Fact]
    public async Task The_clusters_psql_script_sets_up_the_same_roles_as_a_managed_servers_administrator_and_can_run_again()
    {
        var database = $"rolescript{Guid.NewGuid():N}"[..20] + "db";
        var roles = new DatabaseRoles(database);
        var script = Path.Combine(Path.GetTempPath(), $"{database}.sql");
        await File.WriteAllTextAsync(script, DatabaseRoles.PsqlScript([roles]));
        var superuser = new NpgsqlConnectionStringBuilder(await fixture.ConnectionStringAsync("authdb"));
        // As a managed server's administrator runs it: CREATEROLE and CREATEDB, not a superuser.
        var adminRole = $"{database}_admin";
        var admin = new NpgsqlConnectionStringBuilder(superuser.ConnectionString) { Username = adminRole, Password = $"admin-{Guid.NewGuid():N}" };
        var server = new NpgsqlConnectionStringBuilder(superuser.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(server, $"CREATE ROLE \"{adminRole}\" LOGIN CREATEROLE CREATEDB PASSWORD '{admin.Password}'");
        var passwords = new Dictionary<string, string>
        {
            [DatabaseRoles.PasswordVariable(roles.Owner)] = $"owner-{Guid.NewGuid():N}",
            [DatabaseRoles.PasswordVariable(roles.Application)] = $"app'{Guid.NewGuid():N}",
        };
        try
        {
            var missing = await PsqlAsync(admin, script, passwords.Take(1).ToDictionary());
            Assert.True(missing.ExitCode != 0, "the script ran without a role's password");
            Assert.Contains(DatabaseRoles.PasswordVariable(roles.Application) + " is not set", missing.Output, StringComparison.Ordinal);
            var empty = await PsqlAsync(admin, script, passwords.ToDictionary(p => p.Key, p => p.Key.Contains("OWNER", StringComparison.Ordinal) ? p.Value : ""));
            Assert.True(empty.ExitCode != 0, "the script set an empty password");
            Assert.Contains(DatabaseRoles.PasswordVariable(roles.Application) + " is empty", empty.Output, StringComparison.Ordinal);

            foreach (var run in new[] { "first", "second" })
            {
                var result = await PsqlAsync(admin, script, passwords);
                Assert.True(result.ExitCode == 0, $"{run} run: {result.Output}");
            }

            string Login(string role) => new NpgsqlConnectionStringBuilder(superuser.ConnectionString)
            {
                Username = role,
                Password = passwords[DatabaseRoles.PasswordVariable(role)],
                Database = database,
                Pooling = false,
            }.ConnectionString;

            await ExecuteAsync(Login(roles.Owner), "CREATE TABLE notes (id int PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, body text)");
            await ExecuteAsync(Login(roles.Application), "INSERT INTO notes (body) VALUES ('a row')");
            Assert.Equal(1L, await ScalarAsync<long>(Login(roles.Application), "SELECT count(*) FROM notes"));
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(Login(roles.Application), "CREATE TABLE intruder (id int)"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
            var notOwner = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(Login(roles.Application), "DROP TABLE notes"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, notOwner.SqlState);
        }
        finally
        {
            File.Delete(script);
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            await ExecuteAsync(server, $"DROP ROLE IF EXISTS \"{roles.Application}\"");
            await ExecuteAsync(server, $"DROP ROLE IF EXISTS \"{roles.Owner}\"");
            await ExecuteAsync(server, $"DROP ROLE IF EXISTS \"{adminRole}\"");
        }
    }

    /// <summary>The environment the resource was started with (as the dashboard shows it).</summary>
    private Task<Dictionary<string, string>> EnvironmentOfAsync(string resource)
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(resource, out var current), $"{resource} has no state");
        return Task.FromResult(current.Snapshot.EnvironmentVariables.Where(e => e.Value is not null)
            .GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.Last().Value!));
    }

    private async Task<string> ServiceConnectionAsync(string resource, string database) =>
        (await EnvironmentOfAsync(resource))[$"ConnectionStrings__{database}"];

    private static async Task<(int ExitCode, string Output)> PsqlAsync(NpgsqlConnectionStringBuilder login, string script, Dictionary<string, string> passwords)
    {
        var start = new ProcessStartInfo("psql", ["-X", "-q", "-f", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PGHOST"] = login.Host;
        start.Environment["PGPORT"] = login.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = login.Username;
        start.Environment["PGPASSWORD"] = login.Password;
        start.Environment["PGDATABASE"] = "postgres";
        foreach (var (name, value) in passwords)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("psql did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
