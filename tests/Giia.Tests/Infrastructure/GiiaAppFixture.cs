using System.Net;
using System.Net.Sockets;

using Aspire.Hosting;

using Grpc.Net.Client;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Giia.Tests.Infrastructure;

/// <summary>
/// Starts the real AppHost once for every test in the <see cref="GiiaSystem"/>: PostgreSQL, Redis and NATS
/// as local processes (the README's way on a machine without a container engine), on free ports and in a fresh
/// data folder, so a developer's running system and earlier test runs never leak in.
/// </summary>
public sealed class GiiaAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    private readonly string dataRoot = Path.Combine(Path.GetTempPath(), $"giia-tests-{Guid.NewGuid():N}");

    /// <summary>More AppHost settings (<c>--Key=value</c>), for benchmarks that compare configurations.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public static GiiaAppFixture WithArguments(params string[] arguments) => new() { ExtraArguments = arguments };

    /// <summary>
    /// Whether the Auth replicas log each request they serve (on for tests, which read those lines to see which replica
    /// answered; benchmarks turn it off to measure the shipped logging).
    /// </summary>
    public bool LogAuthRequests { get; init; } = true;

    /// <summary>Settings given to every service resource (environment variables), e.g. where a benchmark receives telemetry.</summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment { get; init; } = new Dictionary<string, string>();

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Where Auth's development mail sender writes the messages it sends (.eml files).</summary>
    public string MailDirectory => Path.Combine(dataRoot, "mail");

    /// <summary>Auth's development signing key (generated on first start), for tests that forge tokens.</summary>
    public string SigningKeyFile => Path.Combine(dataRoot, "jwt", "auth-signing-key.pem");

    /// <summary>Mail to this domain takes Auth's pickup sender 3 s per message (longer than its mail consumer's AckWait).</summary>
    public const string SlowMailDomain = "slow-mail.test";

    /// <summary>Receives the DLQ worker's alert webhooks.</summary>
    public AlertSink Alerts { get; } = new();

    /// <summary>Every service resource; Auth runs as two replicas (auth, auth-2) sharing its database, Redis and NATS.</summary>
    public static readonly string[] Services = ["auth", "auth-2", "catalog", "dlq-worker", "ddmrp"];

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Giia_AppHost>(
        [
            "--Giia:Infrastructure=local",
            $"--Giia:DataRoot={dataRoot}",
            $"--Giia:Ports:Postgres={FreePort()}",
            $"--Giia:Ports:Redis={FreePort()}",
            $"--Giia:Ports:Nats={FreePort()}",
            $"--Giia:Dlq:AlertWebhookUrl={Alerts.Url}",
            $"--Giia:Email:PickupDirectory={MailDirectory}",
            // Tests sign in far more often than a person; lockout is per email and address, so it still applies.
            "--Giia:RateLimiting:AuthRequestsPerMinute=100000",
            "--Giia:Auth:Replicas=2",
            "--Giia:DemoData:Enabled=true",
            // A slow mail server and an AckWait shorter than one mail: a mail is sent once only if the consumer keeps
            // its message alive (AckProgress) and records its intent before sending.
            "--Giia:Email:PickupDelay=00:00:03",
            $"--Giia:Email:PickupDelayDomain={SlowMailDomain}",
            "--Giia:Events:Subscriptions:auth-verification-email:AckWait=00:00:02",
            // Stuck dead letters are swept within seconds, not minutes.
            "--Giia:Dlq:StuckAfter=00:00:20",
            "--Giia:Dlq:SweepInterval=00:00:01",
            .. ExtraArguments,
        ]);
        // Each Auth replica logs the requests it serves, so a test can see which replica answered which calls.
        foreach (var replica in builder.Resources.OfType<ProjectResource>().Where(r => LogAuthRequests && r.Name is "auth" or "auth-2"))
        {
            builder.CreateResourceBuilder(replica).WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics", "Information");
        }

        foreach (var service in builder.Resources.OfType<ProjectResource>())
        {
            foreach (var (name, value) in ServiceEnvironment)
            {
                builder.CreateResourceBuilder(service).WithEnvironment(name, value);
            }
        }

        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Giia.AppHost.Resources", LogLevel.Warning));

        App = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(cts.Token);
        try
        {
            foreach (var service in Services)
            {
                await App.ResourceNotifications.WaitForResourceHealthyAsync(service, cts.Token);
            }
        }
        catch (DistributedApplicationException ex)
        {
            // A service that could not start usually waited on a migration that failed: say why.
            throw new InvalidOperationException($"{ex.Message}{Environment.NewLine}{await MigrationLogsAsync()}", ex);
        }
    }

    private async Task<string> MigrationLogsAsync()
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var lines = new List<string>();
        foreach (var resource in App.Services.GetRequiredService<DistributedApplicationModel>().Resources)
        {
            if (App.ResourceNotifications.TryGetCurrentState(resource.Name, out var state))
            {
                lines.Add($"{resource.Name}: {state.Snapshot.State?.Text} exit {state.Snapshot.ExitCode}");
            }
        }

        foreach (var migration in new[] { "auth-migrate", "catalog-migrate", "dlq-worker-migrate", "ddmrp-migrate", "auth" })
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await foreach (var batch in logs.WatchAsync(migration).WithCancellation(timeout.Token))
                {
                    lines.AddRange(batch.Select(l => $"{migration}: {l.Content}"));
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        return string.Join(Environment.NewLine, lines.TakeLast(80));
    }

    public HttpClient CreateHttpClient(string service) => App.CreateHttpClient(service, "http");

    public GrpcChannel CreateGrpcChannel(string service) => GrpcChannel.ForAddress(App.GetEndpoint(service, "grpc"));

    /// <summary>
    /// Stops a resource through the AppHost's command and waits until it no longer runs. DCP sometimes reports a
    /// project's stop as failed while the process is already gone, so the state, not the reply, is the judge.
    /// </summary>
    public async Task StopResourceAsync(string resource)
    {
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        var reply = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand);
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        await Eventually.UntilAsync(
            () => Task.FromResult(notifications.TryGetCurrentState(resource, out var e) ? e.Snapshot.State?.Text : null),
            state => state is not (null or "Running" or "Starting" or "Stopping" or "RuntimeUnhealthy"),
            TimeSpan.FromSeconds(60), $"{resource} to stop (the stop command said: {reply.Success} {reply.Message})");
    }

    /// <summary>Starts a stopped resource again and waits until it is healthy.</summary>
    public async Task StartResourceAsync(string resource)
    {
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        var reply = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand);
        if (!reply.Success)
        {
            throw new InvalidOperationException($"Starting {resource} failed: {reply.Message}");
        }

        try
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        }
        catch (DistributedApplicationException)
        {
            // A start issued a few seconds after a stop can first meet the stop's last snapshot ("failed to start")
            // while the new process comes up: look again once it has had time to.
            await Task.Delay(TimeSpan.FromSeconds(3));
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        }
    }

    public async Task<string> ConnectionStringAsync(string resource) =>
        await App.GetConnectionStringAsync(resource) ?? throw new InvalidOperationException($"{resource} has no connection string");

    /// <summary>The value of an AppHost parameter (e.g. a generated secret).</summary>
    public async Task<string> ParameterAsync(string name)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var parameter = model.Resources.OfType<ParameterResource>().Single(p => p.Name == name);
        return await parameter.GetValueAsync(CancellationToken.None) ?? throw new InvalidOperationException($"{name} has no value");
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        Alerts.Dispose();
        try
        {
            Directory.Delete(dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // A server may still hold a file for a moment after it stopped; the folder is in the temp dir anyway.
        }
    }

    private static readonly HashSet<int> GivenPorts = [];

    /// <summary>
    /// A port nothing listens on, never one this process handed out before: the kernel may offer a just-closed port
    /// again, and two servers given the same one fail to start.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (GivenPorts)
            {
                if (GivenPorts.Add(port))
                {
                    return port;
                }
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GiiaSystem : ICollectionFixture<GiiaAppFixture>
{
    public const string Name = "giia";
}
