using Giia.Events;
using Giia.Tests.Infrastructure;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.Tests.Events;

/// <summary>
/// Every committed change has exactly one event in its stream, whatever happens to NATS or to the relay's process.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class OutboxTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Changes_written_while_NATS_is_down_for_30_seconds_are_each_published_exactly_once()
    {
        using var writer = new CatalogWriter(await fixture.ConnectionStringAsync("catalogdb"));
        var organization = Guid.NewGuid();
        var written = new List<string>();

        await fixture.StopResourceAsync("nats");
        try
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            for (var i = 0; DateTime.UtcNow < until; i++)
            {
                written.Add(await writer.CreateProductAsync(organization, $"DOWN-{i:D4}"));
                await Task.Delay(100);
            }

            Assert.Equal(written.Count, await writer.UnsentAsync(written));
        }
        finally
        {
            await fixture.StartResourceAsync("nats");
        }

        await Eventually.UntilAsync(() => writer.UnsentAsync(written), unsent => unsent == 0, Patience, "the outbox to drain");
        await AssertPublishedExactlyOnceAsync(organization, written);
    }

    [Fact]
    public async Task Relay_process_killed_mid_burst_resumes_and_publishes_each_change_exactly_once()
    {
        using var writer = new CatalogWriter(await fixture.ConnectionStringAsync("catalogdb"));
        var organization = Guid.NewGuid();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__catalogdb"] = await fixture.ConnectionStringAsync("catalogdb"),
            ["ConnectionStrings__nats"] = await fixture.ConnectionStringAsync("nats"),
        };

        // Only the relay under test may publish Catalog's outbox during this test.
        await fixture.StopResourceAsync("catalog");
        var written = new List<string>();
        try
        {
            await using (var relay = ServiceProcess.Start(new Projects.Giia_Catalog(), WithPorts(environment)))
            {
                for (var i = 0; i < 150; i++)
                {
                    written.Add(await writer.CreateProductAsync(organization, $"KILL-{i:D4}"));
                    await Task.Delay(10);
                }

                await Eventually.UntilAsync(() => writer.UnsentAsync(written), unsent => unsent < 100, Patience,
                    () => $"the relay to publish; output: {relay.Output}");
                relay.Kill();
                await relay.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }

            // The relay is dead: what is written now waits in the outbox.
            for (var i = 150; i < 300; i++)
            {
                written.Add(await writer.CreateProductAsync(organization, $"KILL-{i:D4}"));
            }

            Assert.InRange(await writer.UnsentAsync(written), 150, 300);
            await using var restarted = ServiceProcess.Start(new Projects.Giia_Catalog(), WithPorts(environment));
            await Eventually.UntilAsync(() => writer.UnsentAsync(written), unsent => unsent == 0, Patience,
                () => $"the restarted relay to drain the outbox; output: {restarted.Output}");
        }
        finally
        {
            await fixture.StartResourceAsync("catalog");
        }

        await AssertPublishedExactlyOnceAsync(organization, written);
    }

    private static Dictionary<string, string> WithPorts(Dictionary<string, string> environment) => new(environment)
    {
        ["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
        ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
    };

    private async Task AssertPublishedExactlyOnceAsync(Guid organization, IReadOnlyCollection<string> written)
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        var published = (await EventWire.ReadAllAsync(jetStream, EventStreams.Catalog, "catalog.product.created"))
            .Where(m => EventWire.OrganizationOf(m) == organization)
            .Select(m => EventWire.Parse(m).Id)
            .ToList();

        Assert.Equal(written.Count, published.Count);                       // none duplicated
        Assert.Equal(written.Order(), published.Order());                    // none lost
    }
}
