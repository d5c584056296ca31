using System.Collections.Concurrent;

using Giia.Events;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.Events.Subscriptions;
using Giia.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.Tests.Events;

/// <summary>
/// Events about one aggregate leave in the order of its commits, whatever NATS and a second relay do, and carry the
/// aggregate's version, so a consumer that keeps state applies the newest and ignores older ones.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class AggregateOrderTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Create_update_delete_written_while_NATS_is_down_reach_the_stream_in_order_through_two_relays_and_the_consumer_ends_deleted()
    {
        using var writer = new CatalogWriter(await fixture.ConnectionStringAsync("catalogdb"));
        var organization = Guid.NewGuid();
        var projection = new ProductProjection();
        await using var consumer = await TestEventHost.StartAsync(fixture, bus => bus
                .AddSubscription<ProductCreated, ProjectingHandler>($"order-c-{organization:N}"[..24])
                .AddSubscription<ProductUpdated, ProjectingHandler>($"order-u-{organization:N}"[..24])
                .AddSubscription<ProductDeleted, ProjectingHandler>($"order-d-{organization:N}"[..24]),
            services: s => s.AddSingleton(projection));

        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__catalogdb"] = await fixture.ConnectionStringAsync("catalogdb"),
            ["ConnectionStrings__nats"] = await fixture.ConnectionStringAsync("nats"),
            ["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
            ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
            // Short backoff, so the two relays retry often and interleave after the outage.
            ["Giia__Events__Outbox__MaxBackoff"] = "00:00:01",
            ["Giia__Events__Outbox__BatchSize"] = "7",
        };
        // The fixture's Catalog is the first relay; this process is the second.
        await using var secondRelay = ServiceProcess.Start(new Projects.Giia_Catalog(), environment);

        var products = new List<Guid>();
        await fixture.StopResourceAsync("nats");
        try
        {
            for (var i = 0; i < 12; i++)
            {
                var created = await writer.CreateProductAsync(organization, $"ORDER-{i:D3}");
                products.Add(await writer.ProductOfEventAsync(created));
            }

            // Let every row fail a few times, with jittered backoffs, before the later changes are written.
            await Task.Delay(TimeSpan.FromSeconds(3));
            foreach (var product in products)
            {
                await writer.UpdateProductAsync(product, "renamed once");
                await writer.UpdateProductAsync(product, "renamed twice");
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var product in products)
            {
                await writer.DeleteProductAsync(product);
            }
        }
        finally
        {
            await fixture.StartResourceAsync("nats");
        }

        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        var events = await Eventually.UntilAsync(async () => (await EventWire.ReadAllAsync(jetStream, EventStreams.Catalog, "catalog.product.*"))
                .Where(m => EventWire.OrganizationOf(m) == organization).Select(EventWire.Parse).ToList(),
            all => all.Count == products.Count * 4, Patience, () => $"all {products.Count * 4} events; second relay: {secondRelay.Output}");

        foreach (var product in products)
        {
            var ofProduct = events.Where(e => e.Subject == $"products/{product}").ToList();
            Assert.Equal(["product.created", "product.updated", "product.updated", "product.deleted"], ofProduct.Select(e => e.Type));
            Assert.Equal([1L, 2L, 3L, 4L], ofProduct.Select(e => e.AggregateVersion ?? 0));
        }

        await Eventually.UntilAsync(() => Task.FromResult(products.Count(p => projection.StateOf(p) is { Deleted: true, Version: 4 })),
            deleted => deleted == products.Count, Patience, "the consumer to hold every product as deleted at version 4");
    }

    [Fact]
    public async Task Relay_claim_walks_the_unsent_order_index_without_sorting_a_large_backlog()
    {
        await using var connection = new Npgsql.NpgsqlConnection(await fixture.ConnectionStringAsync("catalogdb"));
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var fill = new Npgsql.NpgsqlCommand("""
            INSERT INTO outbox_messages (id, nats_subject, event_type, payload, created_at, next_attempt_at, attempts, aggregate)
            SELECT gen_random_uuid(), 'catalog.product.updated', 'product.updated', '{}', now() - (n || ' seconds')::interval,
                   now() - (n || ' seconds')::interval, 0, CASE WHEN n % 2 = 0 THEN 'products/' || (n % 5000) END
            FROM generate_series(1, 50000) AS n;
            ANALYZE outbox_messages;
            """, connection, transaction))
        {
            await fill.ExecuteNonQueryAsync();
        }

        var claim = OutboxClaim.Query(DateTimeOffset.UtcNow, 500);
        var sql = "EXPLAIN " + claim.Format.Replace("{0}", "@now", StringComparison.Ordinal).Replace("{1}", "500", StringComparison.Ordinal);
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
        var text = string.Join('\n', plan);
        Assert.Contains("ix_outbox_messages_unsent_order", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
        Assert.Contains("ix_outbox_messages_unsent_aggregate", text, StringComparison.Ordinal);
    }

    /// <summary>A consumer's state per product: the newest version it has applied.</summary>
    public sealed class ProductProjection
    {
        private readonly ConcurrentDictionary<Guid, State> states = new();

        public sealed record State(long Version, string Name, bool Deleted);

        public State? StateOf(Guid product) => states.TryGetValue(product, out var state) ? state : null;

        /// <summary>Applies a change only when it is newer than what is held (an older one arriving late is ignored).</summary>
        public void Apply(Guid product, long version, string name, bool deleted) =>
            states.AddOrUpdate(product, _ => new State(version, name, deleted),
                (_, held) => version > held.Version ? new State(version, name, deleted) : held);
    }

    public sealed class ProjectingHandler(ProductProjection projection)
        : IHandleEvent<ProductCreated>, IHandleEvent<ProductUpdated>, IHandleEvent<ProductDeleted>
    {
        public Task HandleAsync(EventContext<ProductCreated> context, CancellationToken cancellationToken) =>
            Apply(context, context.Data.ProductId, context.Data.Name, deleted: false);

        public Task HandleAsync(EventContext<ProductUpdated> context, CancellationToken cancellationToken) =>
            Apply(context, context.Data.ProductId, context.Data.Name, deleted: false);

        public Task HandleAsync(EventContext<ProductDeleted> context, CancellationToken cancellationToken) =>
            Apply(context, context.Data.ProductId, "", deleted: true);

        private Task Apply<TEvent>(EventContext<TEvent> context, Guid product, string name, bool deleted) where TEvent : notnull
        {
            projection.Apply(product, context.Envelope.AggregateVersion
                ?? throw new InvalidOperationException("a product event without its aggregate version"), name, deleted);
            return Task.CompletedTask;
        }
    }
}
