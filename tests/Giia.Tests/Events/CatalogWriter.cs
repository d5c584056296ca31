extern alias catalogservice;

using System.Diagnostics.Metrics;

using catalogservice::Giia.Catalog.Data;
using catalogservice::Giia.Catalog.Products;

using Giia.Events;
using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Giia.Tests.Events;

/// <summary>
/// Writes changes into the Catalog's database exactly as its endpoints do: the product and its product.created event
/// in one SaveChanges. The Catalog service's own relay (or one the test runs) publishes them.
/// </summary>
public sealed class CatalogWriter : IDisposable
{
    private readonly Func<Lease> lease;
    private readonly EventOutbox outbox;
    private readonly MeterFactory meters = new();

    /// <summary>Writes with a DbContext of its own (no relay in this process is told of commits; the relays poll).</summary>
    public CatalogWriter(string connectionString)
    {
        var options = new DbContextOptionsBuilder<CatalogDbContext>().UseNpgsql(connectionString).Options;
        lease = () => new Lease(new CatalogDbContext(options), null);
        outbox = new EventOutbox(EventSchemaRegistry.Default, Options.Create(new EventsOptions { Source = "/giia/catalog" }),
            TimeProvider.System, new EventsMetrics(meters));
    }

    /// <summary>Writes through a host's own DbContext and outbox, exactly as the service's endpoints do (commits wake its relay).</summary>
    public CatalogWriter(IServiceProvider services)
    {
        lease = () =>
        {
            var scope = services.CreateAsyncScope();
            return new Lease(scope.ServiceProvider.GetRequiredService<CatalogDbContext>(), scope);
        };
        outbox = services.GetRequiredService<EventOutbox>();
    }

    /// <summary>A context of the caller's own, to dispose (only for a writer made from a connection string).</summary>
    public CatalogDbContext NewContext() => lease() is { Scope: null } own
        ? own.Context
        : throw new InvalidOperationException("A writer over a host's services lends contexts per write; use the write methods.");

    public EventOutbox Outbox => outbox;

    /// <summary>Commits one product and its event; returns the event id.</summary>
    public async Task<string> CreateProductAsync(Guid organizationId, string sku) =>
        (await CreateProductsAsync(organizationId, sku, 1, 1))[0];

    /// <summary>Commits <paramref name="count"/> products and their events, <paramref name="perCommit"/> to a transaction.</summary>
    public async Task<IReadOnlyList<string>> CreateProductsAsync(Guid organizationId, string skuPrefix, int count, int perCommit)
    {
        var ids = new List<string>(count);
        for (var start = 0; start < count; start += perCommit)
        {
            await using var lease = this.lease();
            var db = lease.Context;
            var now = DateTimeOffset.UtcNow;
            for (var i = start; i < Math.Min(count, start + perCommit); i++)
            {
                var sku = $"{skuPrefix}-{i:D6}";
                var product = new Product
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = organizationId,
                    Sku = sku,
                    Name = $"Product {sku}",
                    UnitOfMeasure = "each",
                    StandardCost = 1.25m,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                db.Products.Add(product);
                ids.Add(outbox.Enqueue(db, new ProductCreated(product.Id, organizationId, sku, product.Name, null, "each", 1.25m,
                    "active", null, now), organizationId, $"products/{product.Id}").Id);
            }

            await db.SaveChangesAsync();
        }

        return ids;
    }

    /// <summary>Commits a change of the product's name and its product.updated event; returns the event id.</summary>
    public async Task<string> UpdateProductAsync(Guid productId, string name)
    {
        await using var lease = this.lease();
        var db = lease.Context;
        var product = await db.Products.SingleAsync(p => p.Id == productId);
        product.Name = name;
        product.UpdatedAt = DateTimeOffset.UtcNow;
        var id = outbox.Enqueue(db, new ProductUpdated(product.Id, product.OrganizationId, product.Sku, name, null, "each", 1.25m, "active",
            null, product.UpdatedAt), product.OrganizationId, $"products/{product.Id}").Id;
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>Commits the product's deletion and its product.deleted event; returns the event id.</summary>
    public async Task<string> DeleteProductAsync(Guid productId)
    {
        await using var lease = this.lease();
        var db = lease.Context;
        var product = await db.Products.SingleAsync(p => p.Id == productId);
        db.Products.Remove(product);
        var id = outbox.Enqueue(db, new ProductDeleted(product.Id, product.OrganizationId, product.Sku, DateTimeOffset.UtcNow),
            product.OrganizationId, $"products/{product.Id}").Id;
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>The product ids behind product.created events written by this writer.</summary>
    public async Task<Guid> ProductOfEventAsync(string eventId)
    {
        var id = Guid.Parse(eventId);
        await using var lease = this.lease();
        var payload = await lease.Context.Set<OutboxMessage>().Where(m => m.Id == id).Select(m => m.Payload).SingleAsync();
        return EventEnvelope.Parse(System.Text.Encoding.UTF8.GetBytes(payload)).DataAs<ProductCreated>().ProductId;
    }

    /// <summary>How many of these events the outbox still holds unsent.</summary>
    public async Task<int> UnsentAsync(IReadOnlyCollection<string> eventIds)
    {
        var ids = eventIds.Select(Guid.Parse).ToList();
        await using var lease = this.lease();
        var db = lease.Context;
        return await db.Set<OutboxMessage>().CountAsync(m => ids.Contains(m.Id) && m.SentAt == null);
    }

    public void Dispose() => meters.Dispose();

    private sealed record Lease(CatalogDbContext Context, IAsyncDisposable? Scope) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Scope is null)
            {
                await Context.DisposeAsync();
            }
            else
            {
                await Scope.DisposeAsync();
            }
        }
    }

    private sealed class MeterFactory : IMeterFactory
    {
        private readonly List<Meter> created = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            created.Add(meter);
            return meter;
        }

        public void Dispose() => created.ForEach(m => m.Dispose());
    }
}
