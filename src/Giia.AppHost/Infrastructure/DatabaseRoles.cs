using System.Text;

using Npgsql;

namespace Giia.AppHost.Infrastructure;

/// <summary>
/// The two PostgreSQL roles of one service's database, neither of them a superuser:
/// <list type="bullet">
/// <item><see cref="Owner"/> (<c>giia_{service}_owner</c>) owns the database and its schema; the service's migrations log
/// in as it (DDL, seed data).</item>
/// <item><see cref="Application"/> (<c>giia_{service}</c>) is what the running service logs in as: it may connect to
/// its own database only and read and write rows of the tables the owner creates (privileges by default), nothing
/// else — no DDL, no TRUNCATE, no other database. A table that refuses more (e.g. Auth's append-only
/// <c>audit_logs</c>) says so in its own migration.</item>
/// </list>
/// The same statements set them up on the local server, in the containers and, rendered as a psql script
/// (<see cref="PsqlScript"/>), in the cluster's <c>postgres-roles</c> Job; each run also (re)sets the passwords, which is
/// how they are rotated.
/// </summary>
public sealed record DatabaseRoles(string Database)
{
    private string Service => Database.EndsWith("db", StringComparison.Ordinal) ? Database[..^2] : Database;

    /// <summary>The role the migrations log in as: owner of the database, its schema and every table.</summary>
    public string Owner => $"giia_{Service}_owner";

    /// <summary>The role the running service logs in as: rows only, in its own database only.</summary>
    public string Application => $"giia_{Service}";

    /// <summary>The environment variable the psql script reads a role's password from (<c>GIIA_AUTH_OWNER_PASSWORD</c>).</summary>
    public static string PasswordVariable(string role) => $"{role.ToUpperInvariant()}_PASSWORD";

    /// <summary>Creates the roles (or updates them: attributes and passwords), the database owned by <see cref="Owner"/>,
    /// and the privileges; idempotent. <paramref name="adminConnectionString"/> is a superuser's or a managed server's
    /// administrator's (CREATEROLE and CREATEDB; it is made a member of each owner role), on any database of the server.</summary>
    public static async Task ApplyAsync(string adminConnectionString, IReadOnlyList<DatabaseRoles> databases,
        Func<string, CancellationToken, Task<string>> passwordOf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(passwordOf);
        await using (var server = new NpgsqlConnection(adminConnectionString))
        {
            await server.OpenAsync(cancellationToken);
            foreach (var roles in databases)
            {
                foreach (var role in new[] { roles.Owner, roles.Application })
                {
                    await ExecuteAsync(server, CreateRole(role), cancellationToken);
                    var password = await passwordOf(role, cancellationToken);
                    if (string.IsNullOrEmpty(password))
                    {
                        throw new InfrastructureSetupException($"The password of the PostgreSQL role {role} is empty.");
                    }

                    // A utility statement takes no parameters: the password goes in as a quoted literal.
                    await ExecuteAsync(server, AlterRole(role, Literal(password)), cancellationToken);
                }

                await ExecuteAsync(server, AdministerOwner(roles.Owner), cancellationToken);

                if (!await DatabaseExistsAsync(server, roles.Database, cancellationToken))
                {
                    try
                    {
                        await ExecuteAsync(server, roles.CreateDatabase(), cancellationToken);
                    }
                    catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
                    {
                        // Created meanwhile (in the containers, Aspire creates the databases it declares): owned below.
                    }
                }

                foreach (var statement in roles.DatabaseStatements())
                {
                    await ExecuteAsync(server, statement, cancellationToken);
                }
            }
        }

        foreach (var roles in databases)
        {
            var inDatabase = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = roles.Database, Pooling = false };
            await using var connection = new NpgsqlConnection(inDatabase.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            foreach (var statement in roles.SchemaStatements())
            {
                await ExecuteAsync(connection, statement, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The same set-up as a psql script (<c>psql -v ON_ERROR_STOP=1 -f</c>), for the cluster: it connects with the
    /// PG* environment variables of an administrator and reads each role's password from
    /// <see cref="PasswordVariable"/>, so no password is on a command line or in the script.
    /// </summary>
    public static string PsqlScript(IReadOnlyList<DatabaseRoles> databases)
    {
        ArgumentNullException.ThrowIfNull(databases);
        var script = new StringBuilder();
        script.AppendLine("-- Rendered from src/Giia.AppHost/Infrastructure/DatabaseRoles.cs (a test compares): edit that, not this.")
            .AppendLine("\\set ON_ERROR_STOP on")
            .AppendLine("\\connect postgres");
        foreach (var roles in databases)
        {
            foreach (var role in new[] { roles.Owner, roles.Application })
            {
                var variable = role + "_password";
                script.AppendLine($"\\getenv {variable} {PasswordVariable(role)}")
                    .AppendLine($"\\if :{{?{variable}}}")
                    .AppendLine("\\else")
                    .AppendLine($"  \\warn '{PasswordVariable(role)} is not set'")
                    .AppendLine("  SELECT 1 / 0 AS missing_password;")
                    .AppendLine("\\endif")
                    .AppendLine($"SELECT :'{variable}' = '' AS {variable}_empty \\gset")
                    .AppendLine($"\\if :{variable}_empty")
                    .AppendLine($"  \\warn '{PasswordVariable(role)} is empty'")
                    .AppendLine("  SELECT 1 / 0 AS empty_password;")
                    .AppendLine("\\endif")
                    .AppendLine(CreateRole(role) + ";")
                    .AppendLine(AlterRole(role, $":'{variable}'") + ";");
            }

            script.AppendLine(AdministerOwner(roles.Owner) + ";");
            script.AppendLine($"SELECT {Literal(roles.CreateDatabase())} WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = {Literal(roles.Database)})\\gexec");
            foreach (var statement in roles.DatabaseStatements())
            {
                script.AppendLine(statement + ";");
            }
        }

        foreach (var roles in databases)
        {
            script.AppendLine($"\\connect {roles.Database}");
            foreach (var statement in roles.SchemaStatements())
            {
                script.AppendLine(statement + ";");
            }
        }

        return script.ToString();
    }

    private static string CreateRole(string role) =>
        $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {Literal(role)}) THEN CREATE ROLE {Identifier(role)}; END IF; END $$";

    // Only LOGIN and the password: the other attributes keep CREATE ROLE's defaults (no superuser, no CREATEDB, no
    // CREATEROLE, no replication, no BYPASSRLS), and setting them, even to "no", takes a superuser, which a managed
    // server's administrator is not.
    private static string AlterRole(string role, string password) =>
        $"ALTER ROLE {Identifier(role)} WITH LOGIN PASSWORD {password}";

    // Handing a database, its schema and default privileges to the owner takes membership in it (a managed server's
    // administrator is not a superuser).
    private static string AdministerOwner(string owner) => $"GRANT {Identifier(owner)} TO CURRENT_USER";

    private string CreateDatabase() => $"CREATE DATABASE {Identifier(Database)} OWNER {Identifier(Owner)}";

    /// <summary>On the server: the owner owns the database, and only the two roles may connect to it.</summary>
    private IEnumerable<string> DatabaseStatements() =>
    [
        $"ALTER DATABASE {Identifier(Database)} OWNER TO {Identifier(Owner)}",
        $"REVOKE ALL ON DATABASE {Identifier(Database)} FROM PUBLIC",
        $"GRANT CONNECT ON DATABASE {Identifier(Database)} TO {Identifier(Application)}",
    ];

    /// <summary>In the database: the schema is the owner's; the application reads and writes rows of the owner's tables.</summary>
    private IEnumerable<string> SchemaStatements() =>
    [
        $"ALTER SCHEMA public OWNER TO {Identifier(Owner)}",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
        $"GRANT USAGE ON SCHEMA public TO {Identifier(Application)}",
        // Tables made before these roles existed (migrated by a superuser) pass to the owner, with rows to the application.
        // Only those: a table already the owner's keeps the privileges its migrations gave it.
        $"""
        DO $$ DECLARE item record; BEGIN
          FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relowner <> {Literal(Owner)}::regrole LOOP
            EXECUTE format('ALTER TABLE %s OWNER TO %I', item.name, {Literal(Owner)});
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', item.name, {Literal(Application)});
          END LOOP;
        END $$
        """,
        $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {Identifier(Application)}",
        $"ALTER DEFAULT PRIVILEGES FOR ROLE {Identifier(Owner)} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {Identifier(Application)}",
        $"ALTER DEFAULT PRIVILEGES FOR ROLE {Identifier(Owner)} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {Identifier(Application)}",
    ];

    private static async Task<bool> DatabaseExistsAsync(NpgsqlConnection server, string database, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", server);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Names come from Program.cs, never from input; quoting keeps them exact all the same.
    private static string Identifier(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
