using Giia.Catalog.BufferProfiles;
using Giia.Catalog.Products;
using Giia.Catalog.Suppliers;

using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.Data;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    public DbSet<Supplier> Suppliers => Set<Supplier>();

    public DbSet<BufferProfile> BufferProfiles => Set<BufferProfile>();

    public DbSet<ProductSupplier> ProductSuppliers => Set<ProductSupplier>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Trigram indexes serve case-insensitive substring search on SKU and name (ILIKE '%...%').
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.AddEventTables();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
    }
}
