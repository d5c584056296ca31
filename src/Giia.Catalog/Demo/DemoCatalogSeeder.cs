using Giia.Catalog.BufferProfiles;
using Giia.Catalog.Data;
using Giia.Catalog.Products;
using Giia.Catalog.Suppliers;
using Giia.Data;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Catalog.Demo;

/// <summary>
/// The demo organization's catalog (see <see cref="DemoDataOptions"/>): buffer profiles, suppliers and three dozen
/// products with their supplier links, written with their events as any other change. Runs once: a demo
/// organization that already has products is left alone.
/// </summary>
public sealed class DemoCatalogSeeder(IOptions<DemoDataOptions> options, EventOutbox outbox, TimeProvider time) : IDbSeeder<CatalogDbContext>
{
    private static readonly (string Name, AduMethod Method, decimal LeadTime, decimal Variability)[] Profiles =
    [
        ("Purchased, long lead time, low variability", AduMethod.Average, 0.25m, 0.25m),
        ("Purchased, medium lead time, medium variability", AduMethod.Weighted, 0.5m, 0.5m),
        ("Manufactured, short lead time, high variability", AduMethod.Exponential, 0.7m, 0.8m),
    ];

    private static readonly (string Code, string Name, int LeadTime)[] Suppliers =
    [
        ("ACME", "Acme Fasteners", 14), ("NORD", "Nordic Steel", 30), ("IBER", "Iberia Plásticos", 7),
        ("RHEIN", "Rhein Bearings", 21), ("LUSO", "Luso Packaging", 5), ("ALPS", "Alps Electronics", 45),
    ];

    private static readonly (string Prefix, string Name, string Category, string Unit, decimal Cost)[] Families =
    [
        ("BOLT", "Hex bolt", "Fasteners", "EA", 0.12m), ("NUT", "Hex nut", "Fasteners", "EA", 0.05m),
        ("BRG", "Ball bearing", "Bearings", "EA", 2.40m), ("SHEET", "Steel sheet", "Raw materials", "KG", 1.10m),
        ("BOX", "Carton box", "Packaging", "EA", 0.35m), ("PCB", "Control board", "Electronics", "EA", 18.50m),
    ];

    public async Task SeedAsync(CatalogDbContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var organizationId = DemoDataOptions.OrganizationId;
        if (!options.Value.Enabled || await context.Products.AnyAsync(p => p.OrganizationId == organizationId, cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var profiles = Profiles.Select(p => new BufferProfile
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            Name = p.Name,
            AduMethod = p.Method,
            LeadTimeFactor = p.LeadTime,
            VariabilityFactor = p.Variability,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        var suppliers = Suppliers.Select(s => new Supplier
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            Code = s.Code,
            Name = s.Name,
            ContactEmail = $"orders@{s.Code.ToLowerInvariant()}.example.com",
            DefaultLeadTimeDays = s.LeadTime,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        context.BufferProfiles.AddRange(profiles);
        context.Suppliers.AddRange(suppliers);
        foreach (var b in profiles)
        {
            outbox.Enqueue(context, BufferProfileEvents.Created(b, now), organizationId, $"buffer-profiles/{b.Id}");
        }

        foreach (var s in suppliers)
        {
            outbox.Enqueue(context, SupplierEvents.Created(s, now), organizationId, $"suppliers/{s.Id}");
        }

        for (var f = 0; f < Families.Length; f++)
        {
            var family = Families[f];
            for (var size = 1; size <= 6; size++)
            {
                var product = new Product
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = organizationId,
                    Sku = $"{family.Prefix}-{size:D2}",
                    Name = $"{family.Name}, size {size}",
                    Category = family.Category,
                    UnitOfMeasure = family.Unit,
                    StandardCost = family.Cost * size,
                    BufferProfileId = profiles[(f + size) % profiles.Count].Id,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                product.Suppliers.Add(new ProductSupplier
                {
                    SupplierId = suppliers[f % suppliers.Count].Id,
                    OrganizationId = organizationId,
                    LeadTimeDays = Suppliers[f % suppliers.Count].LeadTime,
                    UnitCost = product.StandardCost * 0.9m,
                    MinimumOrderQuantity = 100,
                    IsPrimary = true,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
                context.Products.Add(product);
                outbox.Enqueue(context, ProductEvents.Created(product, now), organizationId, $"products/{product.Id}");
            }
        }

        await context.SaveChangesAsync(cancellationToken);
    }
}
