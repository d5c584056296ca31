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
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string dataRoot = Path.Combine(Path.GetTempPath(), $"giia-tests-{Guid.NewGuid():N}");

    public DistributedApplication App { get; private set; } = null!;

    public static readonly string[] Services = ["auth", "catalog", "dlq-worker"];

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Giia_AppHost>(
        [
            "--Giia:Infrastructure=local",
            $"--Giia:DataRoot={dataRoot}",
            $"--Giia:Ports:Postgres={FreePort()}",
            $"--Giia:Ports:Redis={FreePort()}",
            $"--Giia:Ports:Nats={FreePort()}",
        ]);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Giia.AppHost.Resources", LogLevel.Warning));

        App = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(cts.Token);
        foreach (var service in Services)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(service, cts.Token);
        }
    }

    public HttpClient CreateHttpClient(string service) => App.CreateHttpClient(service, "http");

    public GrpcChannel CreateGrpcChannel(string service) => GrpcChannel.ForAddress(App.GetEndpoint(service, "grpc"));

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // A server may still hold a file for a moment after it stopped; the folder is in the temp dir anyway.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class GiiaSystem : ICollectionFixture<GiiaAppFixture>
{
    public const string Name = "giia";
}
