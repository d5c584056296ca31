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
            // Short schedules: one quick redelivery by the consumer, then the DLQ worker's retries after 1, 2 and 4 s.
            ["Giia:Events:Consumers:RetrySchedule:0"] = "00:00:00.100",
            ["Giia:Events:Consumers:RetrySchedule:1"] = "00:00:01",
            ["Giia:Events:Consumers:RetrySchedule:2"] = "00:00:02",
            ["Giia:Events:Consumers:RetrySchedule:3"] = "00:00:04",
            ["Giia:Events:Consumers:ConsumerRetries"] = "1",
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
