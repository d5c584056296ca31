using Giia.Events;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Giia.Tests.Infrastructure;

/// <summary>
/// A consuming service living in the test process: the real event library (subscriptions, dead-lettering, retries
/// through the DLQ worker) against the AppHost's NATS, with handlers the test controls.
/// </summary>
public sealed class TestEventHost : IAsyncDisposable
{
    private readonly IHost host;

    private TestEventHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public static async Task<TestEventHost> StartAsync(GiiaAppFixture fixture, Action<EventBusBuilder> subscribe,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "Giia.Tests",
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:nats"] = await fixture.ConnectionStringAsync("nats"),
            ["Giia:Events:Consumers:MaxDeliveries"] = "2",
            ["Giia:Events:Consumers:RedeliveryDelay"] = "00:00:00.100",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        services?.Invoke(builder.Services);
        subscribe(builder.AddEventBus());
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<StreamProvisioning>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        return new TestEventHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
