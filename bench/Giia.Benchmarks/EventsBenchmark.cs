extern alias catalogservice;

using System.Diagnostics;

using catalogservice::Giia.Catalog.Data;

using Giia.Data;
using Giia.Events;
using Giia.Events.Contracts;
using Giia.Events.Subscriptions;
using Giia.Tests.Events;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using NATS.Client.JetStream;

namespace Giia.Benchmarks;

/// <summary>
/// Outbox relay throughput (a backlog of committed events drained to JetStream by one relay) and
/// commit-to-handler latency (events committed at a steady rate, timed from their envelope's time to the handler).
/// </summary>
public static class EventsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArguments(args);
        var backlog = options.Number("events", 20_000);
        var rate = options.Number("rate", 200);
        var seconds = options.Number("seconds", 20);

        var fixture = new GiiaAppFixture();
        await fixture.InitializeAsync();
        try
        {
            // The relay under measurement runs here, alone: the Catalog service's own relay is stopped.
            await fixture.StopResourceAsync("catalog");
            using var writer = new CatalogWriter(await fixture.ConnectionStringAsync("catalogdb"));

            var organization = Guid.NewGuid();
            Console.WriteLine($"writing a backlog of {backlog:N0} events...");
            var ids = await writer.CreateProductsAsync(organization, "BENCH", backlog, perCommit: 500);

            Console.WriteLine("the relay's claim on this backlog:");
            foreach (var line in await ExplainClaimAsync(await fixture.ConnectionStringAsync("catalogdb")))
            {
                Console.WriteLine("  " + line);
            }

            // Progress is read from the stream (cheap), not from the outbox table, so measuring does not load the database.
            await using var nats = new NATS.Client.Core.NatsConnection(new NATS.Client.Core.NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
            var jetStream = new NATS.Client.JetStream.NatsJSContext(nats);
            var catalogStream = await jetStream.GetStreamAsync(EventStreams.Catalog);
            var before = catalogStream.Info.State.Messages;
            // A backlog of a million events is about a gigabyte: room for it beyond the stream's default limit.
            if (backlog > 200_000)
            {
                await jetStream.UpdateStreamAsync(catalogStream.Info.Config with { MaxBytes = 8L * 1024 * 1024 * 1024 });
            }

            var latency = new LatencyReport("commit → handler (JetStream, one consumer)");
            var recorder = new LatencyRecorder(latency, Guid.NewGuid());
            var stopwatch = Stopwatch.StartNew();
            var relay = await StartHostAsync(fixture, recorder, bus => bus.AddOutbox<CatalogDbContext>());
            await using var relayLifetime = relay;
            await WaitUntilAsync(async () => (await jetStream.GetStreamAsync(EventStreams.Catalog)).Info.State.Messages >= before + backlog,
                TimeSpan.FromMinutes(10));
            stopwatch.Stop();
            await WaitUntilAsync(async () => await writer.UnsentAsync(ids) == 0, TimeSpan.FromMinutes(1));

            var relayRate = backlog / stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine($"relay drained {backlog:N0} events in {stopwatch.Elapsed.TotalSeconds:0.00} s: {relayRate:N0} events/s");
            var lastMessage = await jetStream.GetStreamAsync(EventStreams.Catalog);
            var meanBytes = (double)(lastMessage.Info.State.Bytes - catalogStream.Info.State.Bytes) / backlog;
            var floorRate = await PublishFloorAsync(jetStream, (int)Math.Round(meanBytes), Math.Min(backlog, 200_000));
            Console.WriteLine($"floor: JetStream alone took {floorRate:N0} messages/s of {meanBytes:N0} stored bytes each (relay = {relayRate / floorRate:0.00}x the floor)");
            if (seconds == 0)
            {
                Console.WriteLine();
                Console.WriteLine(LatencyReport.MarkdownHeader);
                Console.WriteLine($"| floor: pipelined JetStream publishes from memory, {Math.Min(backlog, 200_000):N0} messages | {floorRate:N0} | | | | |");
                Console.WriteLine($"| outbox relay, backlog of {backlog:N0} ({relayRate / floorRate:0.00}x the floor) | {relayRate:N0} | | | | {backlog:N0} |");
                return 0;
            }

            await using var consumer = await StartHostAsync(fixture, recorder,
                bus => bus.AddSubscription<ProductCreated, LatencyRecorder.Handler>($"latency-{Guid.NewGuid():N}"[..16]));

            // Let the consumer work through the backlog before timing new events.
            await WaitUntilAsync(() => Task.FromResult(recorder.Seen >= backlog), TimeSpan.FromMinutes(5));
            Console.WriteLine($"measuring latency at {rate}/s for {seconds} s...");
            var interval = TimeSpan.FromSeconds(1.0 / rate);
            var started = Stopwatch.StartNew();
            // Written through the relay host's own DbContext and outbox, as a service's endpoint writes: commits wake the relay.
            using var serviceWriter = new CatalogWriter(relay.Services);
            var sent = 0;
            while (started.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                await serviceWriter.CreateProductAsync(recorder.Organization, $"LAT-{sent++:D6}");
                var next = interval * sent - started.Elapsed;
                if (next > TimeSpan.Zero)
                {
                    await Task.Delay(next);
                }
            }

            await WaitUntilAsync(() => Task.FromResult(latency.Count >= sent), TimeSpan.FromMinutes(2));
            Console.WriteLine();
            Console.WriteLine(LatencyReport.MarkdownHeader);
            Console.WriteLine($"| floor: pipelined JetStream publishes from memory, {Math.Min(backlog, 200_000):N0} messages | {floorRate:N0} | | | | |");
            Console.WriteLine($"| outbox relay, backlog of {backlog:N0} ({relayRate / floorRate:0.00}x the floor) | {relayRate:N0} | | | | {backlog:N0} |");
            Console.WriteLine(latency.MarkdownRow(sent / started.Elapsed.TotalSeconds));
            return 0;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    /// <summary>A host in this process with the real event library: the relay, or a subscription, as <paramref name="configure"/> says.</summary>
    private static async Task<HostLifetime> StartHostAsync(GiiaAppFixture fixture, LatencyRecorder recorder, Action<EventBusBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Giia.Bench", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:catalogdb"] = await fixture.ConnectionStringAsync("catalogdb"),
            ["ConnectionStrings:nats"] = await fixture.ConnectionStringAsync("nats"),
            ["Giia:Events:Outbox:BatchSize"] = Environment.GetEnvironmentVariable("GIIA_BENCH_BATCH") ?? "500",
        });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(recorder);
        builder.AddServiceDatabase<HostApplicationBuilder, CatalogDbContext>("catalogdb");
        configure(builder.AddEventBus());
        var host = builder.Build();
        await host.StartAsync();
        return new HostLifetime(host);
    }

    /// <summary>
    /// The floor under the relay: the same number of messages of the same size published from memory to a scratch
    /// stream, 500 in flight at a time as the relay does, each waiting for JetStream's acknowledgement. No database.
    /// </summary>
    private static async Task<double> PublishFloorAsync(NatsJSContext jetStream, int size, int count)
    {
        const string stream = "BENCH_FLOOR";
        await jetStream.CreateStreamAsync(new NATS.Client.JetStream.Models.StreamConfig(stream, ["bench.floor"]));
        try
        {
            var payload = new byte[Math.Max(1, size - 100)]; // stored bytes include the subject and headers
            Random.Shared.NextBytes(payload);
            var stopwatch = Stopwatch.StartNew();
            for (var start = 0; start < count; start += 500)
            {
                var batch = Enumerable.Range(start, Math.Min(500, count - start)).Select(i => jetStream.PublishAsync("bench.floor", payload,
                    opts: new NatsJSPubOpts { MsgId = $"floor-{i}" }).AsTask());
                foreach (var ack in await Task.WhenAll(batch))
                {
                    ack.EnsureSuccess();
                }
            }

            return count / stopwatch.Elapsed.TotalSeconds;
        }
        finally
        {
            await jetStream.DeleteStreamAsync(stream);
        }
    }

    /// <summary>EXPLAIN ANALYZE of the relay's claim query (in a transaction rolled back, so no row stays locked).</summary>
    private static async Task<List<string>> ExplainClaimAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var analyze = new Npgsql.NpgsqlCommand("ANALYZE outbox_messages", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        await using var transaction = await connection.BeginTransactionAsync();
        var claim = Giia.Events.Outbox.OutboxClaim.Query(DateTimeOffset.UtcNow, 500);
        var sql = "EXPLAIN (ANALYZE, BUFFERS) " + claim.Format.Replace("{0}", "@now", StringComparison.Ordinal).Replace("{1}", "500", StringComparison.Ordinal);
        await using var explain = new Npgsql.NpgsqlCommand(sql, connection, transaction);
        explain.Parameters.AddWithValue("now", DateTimeOffset.UtcNow);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        await transaction.RollbackAsync();
        return plan;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("benchmark step did not finish in time");
            }

            await Task.Delay(20);
        }
    }

    private sealed class HostLifetime(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    /// <summary>Records, for the measured organization's events, the time from the envelope's time to the handler.</summary>
    public sealed class LatencyRecorder(LatencyReport report, Guid organization)
    {
        private long seen;

        public Guid Organization { get; } = organization;

        /// <summary>Events handled so far, of any organization (the backlog included).</summary>
        public long Seen => Interlocked.Read(ref seen);

        public sealed class Handler(LatencyRecorder recorder) : IHandleEvent<ProductCreated>
        {
            public Task HandleAsync(EventContext<ProductCreated> context, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref recorder.seen);
                if (context.Data.OrganizationId == recorder.Organization)
                {
                    recorder.report.Record(DateTimeOffset.UtcNow - context.Envelope.Time);
                }

                return Task.CompletedTask;
            }
        }

        private readonly LatencyReport report = report;
    }
}
