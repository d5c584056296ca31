using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

using Giia.Events.Access;

using Microsoft.Extensions.DependencyInjection;

using Npgsql;

namespace Giia.AppHost.Infrastructure;

/// <summary>
/// Runs PostgreSQL, Redis and NATS from the machine's Debian packages when no container runtime answers.
/// All their data lives under one git-ignored folder (<c>Giia:DataRoot</c>, default <c>.giia/</c> at the repository root).
/// </summary>
internal static class LocalInfrastructure
{
    private const string Loopback = "127.0.0.1";

    public static GiiaInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        var dataRoot = GiiaInfrastructureExtensions.DataRootOf(builder);
        Directory.CreateDirectory(dataRoot);
        var secrets = new LocalSecrets(Path.Combine(dataRoot, "secrets"));

        var postgres = AddPostgres(builder, dataRoot, secrets);
        var logins = new DatabaseLogins(builder, postgres.Resource.PrimaryEndpoint,
            name => builder.AddParameter(name, secrets.Get(name), secret: true).Resource);
        postgres.OnResourceReady(async (server, @event, ct) =>
        {
            await logins.ApplyAsync(await server.ConnectionStringExpression.GetValueAsync(ct) ?? "", @event.Services, ct);
            // The databases exist now (the roles' set-up creates them).
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in server.Databases)
            {
                await notifications.PublishUpdateAsync(database, state => state with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
        });
        var redis = AddRedis(builder, dataRoot, secrets);
        var (nats, natsUsers) = AddNats(builder, dataRoot, secrets);

        return new GiiaInfrastructure(
            InfrastructureMode.Local,
            dataRoot,
            GiiaInfrastructureExtensions.AsConnectionString(builder, redis.Resource),
            GiiaInfrastructureExtensions.AsConnectionString(builder, nats.Resource),
            natsUsers,
            name => logins.Add(name, GiiaInfrastructureExtensions.AsConnectionString(builder, AddDatabase(builder, postgres, name).Resource)));
    }

    private static IResourceBuilder<LocalPostgresServerResource> AddPostgres(IDistributedApplicationBuilder builder, string dataRoot, LocalSecrets secrets)
    {
        var postgresBinary = FindPostgresBinary()
            ?? throw new InfrastructureSetupException(
                "PostgreSQL is not installed: run 'sudo apt-get install -y postgresql' (or start Docker and use containers).");
        var port = Port(builder, "Postgres", 5432);
        var password = builder.AddParameter("postgres-password", secrets.Get("postgres-password"), secret: true);
        var dataDirectory = PostgresDataDirectory(dataRoot);
        EnsurePostgresCluster(postgresBinary, dataDirectory, secrets.Get("postgres-password"));

        string[] serverArgs =
        [
            "-D", dataDirectory, "-p", port.ToString(), "-c", $"listen_addresses={Loopback}",
            "-c", "unix_socket_directories=", "-c", "max_connections=300",
        ];
        var (command, args) = AsPostgresUser(postgresBinary, serverArgs);

        var resource = new LocalPostgresServerResource("postgres", command, dataRoot, password.Resource);
        return builder.AddResource(resource)
            .WithArgs(args)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalPostgresServerResource.PrimaryEndpointName, isProxied: false)
            .WithPostgresHealthCheck();
    }

    private static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(IDistributedApplicationBuilder builder,
        IResourceBuilder<LocalPostgresServerResource> server, string name)
    {
        var database = builder.AddResource(new LocalPostgresDatabaseResource(name, name, server.Resource))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [],
            })
            .WithPostgresHealthCheck();
        // Usable once the server is ready and the roles' set-up has created it (see Add).
        server.Resource.Databases.Add(database.Resource);
        return database;
    }

    private static IResourceBuilder<LocalRedisResource> AddRedis(IDistributedApplicationBuilder builder, string dataRoot, LocalSecrets secrets)
    {
        var binary = FindOnPath("redis-server")
            ?? throw new InfrastructureSetupException(
                "Redis is not installed: run 'sudo apt-get install -y redis-server' (or start Docker and use containers).");
        var port = Port(builder, "Redis", 6379);
        var directory = Directory.CreateDirectory(Path.Combine(dataRoot, "redis")).FullName;
        var configFile = Path.Combine(dataRoot, "redis.conf");
        // The password goes in a file, not on the command line where the dashboard and ps would show it.
        WritePrivateFile(configFile, $"""
            bind {Loopback}
            port {port}
            dir {directory}
            appendonly yes
            requirepass {secrets.Get("redis-password")}
            """);
        var password = builder.AddParameter("redis-password", secrets.Get("redis-password"), secret: true);

        return builder.AddResource(new LocalRedisResource("redis", binary, dataRoot, password.Resource))
            .WithArgs(configFile)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalRedisResource.PrimaryEndpointName, isProxied: false)
            .WithRedisHealthCheck();
    }

    private static (IResourceBuilder<LocalNatsServerResource> Server, NatsUsers Users) AddNats(IDistributedApplicationBuilder builder, string dataRoot, LocalSecrets secrets)
    {
        var binary = FindOnPath("nats-server")
            ?? throw new InfrastructureSetupException(
                "NATS is not installed: run 'sudo apt-get install -y nats-server' (or start Docker and use containers).");
        var port = Port(builder, "Nats", 4222);
        var storeDirectory = Directory.CreateDirectory(Path.Combine(dataRoot, "nats")).FullName;
        var configFile = Path.Combine(dataRoot, "nats.conf");
        var user = builder.AddParameter("nats-username", "nats");
        var password = builder.AddParameter("nats-password", secrets.Get("nats-password"), secret: true);
        var users = NatsUsers.Add(builder, "nats",
            service => builder.AddParameter($"nats-{service}-password", secrets.Get($"nats-{service}-password"), secret: true).Resource);
        // The operator's login (the tests' and the dashboard's) and one restricted login per service; the passwords stay in
        // this file (mode 600), never on the command line.
        var authorization = NatsUsers.AuthorizationBlock("nats", secrets.Get("nats-password"),
            NatsAccessTable.Services.ToDictionary(s => s.User, s => secrets.Get($"nats-{s.User}-password")));
        WritePrivateFile(configFile, $$"""
            listen: "{{Loopback}}:{{port}}"
            jetstream { store_dir: "{{storeDirectory}}" }

            """ + authorization);

        var server = new LocalNatsServerResource("nats", binary, dataRoot, user.Resource, password.Resource);
        users.AttachTo(server);
        return (builder.AddResource(server)
            .WithArgs("-c", configFile)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: NatsServerResource.PrimaryEndpointName, isProxied: false)
            .WithNatsHealthCheck(), users);
    }

    /// <summary>
    /// The configured port (<c>Giia:Ports:{name}</c>), or the usual one; when the usual one is taken by another program,
    /// the next free port above it, so a developer's own server on 5432 does not stop GIIA from starting.
    /// </summary>
    private static int Port(IDistributedApplicationBuilder builder, string name, int usual)
    {
        if (int.TryParse(builder.Configuration[$"Giia:Ports:{name}"], out var configured))
        {
            return configured;
        }

        for (var candidate = usual; candidate < usual + 100; candidate++)
        {
            if (IsFree(candidate))
            {
                return candidate;
            }
        }

        throw new InfrastructureSetupException($"No free port near {usual} for {name}; set Giia:Ports:{name}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string PostgresDataDirectory(string dataRoot)
    {
        var preferred = Path.Combine(dataRoot, "postgres");
        if (!IsRoot || RunAsPostgres("test", "-x", dataRoot) == 0)
        {
            return preferred;
        }

        // The postgres user cannot reach the repository (e.g. a clone under /root): keep the cluster in its home instead.
        var key = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataRoot)))[..12].ToLowerInvariant();
        return Path.Combine("/var/lib/postgresql/giia", key);
    }

    private static void EnsurePostgresCluster(string postgresBinary, string dataDirectory, string password)
    {
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            return;
        }

        Directory.CreateDirectory(dataDirectory);
        var initdb = Path.Combine(Path.GetDirectoryName(postgresBinary)!, "initdb");
        var passwordFile = Path.Combine(dataDirectory, "..", $".{Path.GetFileName(dataDirectory)}-init-password");
        WritePrivateFile(passwordFile, password);
        try
        {
            if (IsRoot)
            {
                Run("chown", "-R", "postgres:postgres", dataDirectory, passwordFile);
            }

            var (command, args) = AsPostgresUser(initdb,
            [
                "-D", dataDirectory, "-U", "postgres", $"--pwfile={passwordFile}", "--auth=scram-sha-256",
                "--encoding=UTF8", "--locale=C.UTF-8",
            ]);
            if (Run(command, args) != 0)
            {
                throw new InfrastructureSetupException($"initdb failed for {dataDirectory}; see the output above.");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>PostgreSQL refuses to run as root; as root it is started as the <c>postgres</c> user.</summary>
    private static (string Command, string[] Args) AsPostgresUser(string binary, string[] args) =>
        IsRoot
            ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", binary, .. args])
            : (binary, args);

    private static bool IsRoot => Environment.UserName == "root";

    private static int RunAsPostgres(params string[] args) => Run("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. args]);

    private static int Run(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true })
            ?? throw new InfrastructureSetupException($"Could not start '{command}'.");
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string? FindPostgresBinary()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(directory => Path.Combine(directory, "bin", "postgres"))
                .Where(File.Exists)
                .OrderByDescending(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        return versions.FirstOrDefault() ?? FindOnPath("postgres");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static void WritePrivateFile(string path, string contents)
    {
        File.WriteAllText(path, contents);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Passwords for the local servers: generated once, kept (mode 600) with the data they protect.</summary>
    private sealed class LocalSecrets(string directory)
    {
        public string Get(string name)
        {
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                // Letters and digits only: the value goes into URLs and connection strings without escaping.
                WritePrivateFile(path, RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32));
            }

            return File.ReadAllText(path).Trim();
        }
    }
}
