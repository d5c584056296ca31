using System.Diagnostics.Metrics;

using Giia.Catalog.Data;
using Giia.Catalog.Products;
using Giia.Events;
using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Tests.Events;

/// <summary>
/// Writes changes into the Catalog's database exactly as its endpoints do: the product and its product.created event
/// in one SaveChanges. The Catalog service's own relay (or one the test runs) publishes them.
/// </summary>
public sealed class CatalogWriter : IDisposable
{
    private readonly DbContextOptions<CatalogDbContext> options;
    private readonly EventOutbox outbox;
    private readonly MeterFactory meters = new();

    public CatalogWriter(string connectionString)
    {
        options = new DbContextOptionsBuilder<CatalogDbContext>().UseNpgsql(connectionString).Options;
        outbox = new EventOutbox(EventSchemaRegistry.Default, Options.Create(new EventsOptions { Source = "/giia/catalog" }),
            TimeProvider.System, new EventsMetrics(meters));
    }

    public CatalogDbContext NewContext() => new(options);

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
            await using var db = NewContext();
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

    /// <summary>How many of these events the outbox still holds unsent.</summary>
    public async Task<int> UnsentAsync(IReadOnlyCollection<string> eventIds)
    {
        var ids = eventIds.Select(Guid.Parse).ToList();
        await using var db = NewContext();
        return await db.Set<OutboxMessage>().CountAsync(m => ids.Contains(m.Id) && m.SentAt == null);
    }

    public void Dispose() => meters.Dispose();

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
