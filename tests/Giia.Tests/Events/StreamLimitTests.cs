using Giia.Events;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Giia.Tests.Events;

/// <summary>Streams cannot fill the JetStream store: each has a byte limit, a discard policy, and limits an operator keeps.</summary>
[Collection(GiiaSystem.Name)]
public sealed class StreamLimitTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Running_system_has_the_audit_stream_dropping_oldest_and_domain_streams_refusing_new_each_with_a_byte_limit()
    {
        await using var host = await TestEventHost.StartAsync(fixture, _ => { });
        var jetStream = host.Services.GetRequiredService<INatsJSContext>();

        foreach (var definition in EventStreams.Shared)
        {
            var config = (await jetStream.GetStreamAsync(definition.Name)).Info.Config;
            Assert.True(config.MaxBytes > 0, $"{definition.Name} has no byte limit");
            Assert.Equal(definition.Name == EventStreams.Audit ? StreamConfigDiscard.Old : StreamConfigDiscard.New, config.Discard);
            Assert.Equal([definition.Subjects], config.Subjects);
        }
    }

    [Fact]
    public async Task Provisioning_keeps_limits_an_operator_changed_and_restores_the_discard_policy_the_code_owns()
    {
        var stream = TestStream(4L << 20);
        await using (await TestEventHost.StartAsync(fixture, bus => bus.AddStream(stream)))
        {
        }

        await using var nats = await NatsAsync();
        var jetStream = new NatsJSContext(nats);
        try
        {
            var created = (await jetStream.GetStreamAsync(stream.Name)).Info.Config;
            Assert.Equal(4L << 20, created.MaxBytes);
            Assert.Equal(StreamConfigDiscard.New, created.Discard);

            // An operator raises the limit and the age, and (wrongly) flips the discard policy.
            await jetStream.UpdateStreamAsync(created with { MaxBytes = 6L << 20, MaxAge = TimeSpan.FromHours(5), Discard = StreamConfigDiscard.Old });

            // The next service start provisions again.
            await using (await TestEventHost.StartAsync(fixture, bus => bus.AddStream(stream)))
            {
            }

            var after = (await jetStream.GetStreamAsync(stream.Name)).Info.Config;
            Assert.Equal(6L << 20, after.MaxBytes);
            Assert.Equal(TimeSpan.FromHours(5), after.MaxAge);
            Assert.Equal(StreamConfigDiscard.New, after.Discard);
        }
        finally
        {
            await jetStream.DeleteStreamAsync(stream.Name);
        }
    }

    [Fact]
    public async Task Full_refuse_new_stream_turns_publishes_away_and_readiness_says_so()
    {
        var stream = TestStream(1L << 20);
        await using var host = await TestEventHost.StartAsync(fixture, bus => bus.AddStream(stream),
            new Dictionary<string, string?> { ["Giia:Events:Streams:UsageInterval"] = "00:00:01" });
        var jetStream = host.Services.GetRequiredService<INatsJSContext>();
        var monitor = host.Services.GetRequiredService<StreamUsageMonitor>();
        try
        {
            await monitor.RefreshAsync(CancellationToken.None);
            Assert.Equal(HealthStatus.Healthy, (await monitor.CheckHealthAsync(new HealthCheckContext())).Status);

            var body = new byte[32 * 1024];
            var accepted = 0;
            for (var i = 0; i < 64; i++)
            {
                var ack = await jetStream.PublishAsync($"{stream.Subjects[..^2]}.fill", body, opts: new NatsJSPubOpts { MsgId = $"fill-{i}" });
                if (ack.Error is not null)
                {
                    Assert.Contains("maximum bytes", ack.Error.Description, StringComparison.OrdinalIgnoreCase);
                    break;
                }

                accepted++;
            }

            Assert.InRange(accepted, 20, 32); // refused once 1 MiB is stored: nothing older was dropped to make room
            Assert.Equal(accepted, (await jetStream.GetStreamAsync(stream.Name)).Info.State.Messages);

            await monitor.RefreshAsync(CancellationToken.None);
            var health = await monitor.CheckHealthAsync(new HealthCheckContext());
            Assert.Equal(HealthStatus.Degraded, health.Status);
            Assert.Contains(stream.Name, health.Description, StringComparison.Ordinal);
            Assert.Contains(monitor.Fills, f => f.Stream == stream.Name && f.Ratio >= StreamUsageMonitor.AlertRatio);
        }
        finally
        {
            await jetStream.DeleteStreamAsync(stream.Name);
        }
    }

    private static StreamDefinition TestStream(long maxBytes)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        return new StreamDefinition($"TEST_{suffix.ToUpperInvariant()}", $"t{suffix}.>", StreamFullPolicy.RefuseNew, maxBytes, TimeSpan.FromHours(1));
    }

    private async Task<NATS.Client.Core.NatsConnection> NatsAsync() =>
        new(new NATS.Client.Core.NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
}
