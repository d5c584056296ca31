using Giia.Catalog.Products;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.Data.Configurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id");
        builder.Property(p => p.OrganizationId).HasColumnName("organization_id");
        builder.Property(p => p.Sku).HasColumnName("sku").HasMaxLength(64);
        builder.Property(p => p.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(p => p.Description).HasColumnName("description").HasMaxLength(2000);
        builder.Property(p => p.Category).HasColumnName("category").HasMaxLength(100);
        builder.Property(p => p.UnitOfMeasure).HasColumnName("unit_of_measure").HasMaxLength(20);
        builder.Property(p => p.StandardCost).HasColumnName("standard_cost").HasPrecision(ProductLimits.AmountPrecision, ProductLimits.AmountScale);
        builder.Property(p => p.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.BufferProfileId).HasColumnName("buffer_profile_id");
        builder.Property(p => p.LeadTimeOverrideDays).HasColumnName("lead_time_override_days");
        builder.Property(p => p.OrderCycleDays).HasColumnName("order_cycle_days").HasDefaultValue(0);
        builder.Property(p => p.UnitPrecision).HasColumnName("unit_precision").HasDefaultValue(0);
        // A short list read and written with the product: a JSON column, so a change to it changes the product's ETag.
        builder.OwnsMany(p => p.DemandAdjustments, adjustment =>
        {
            adjustment.ToJson("demand_adjustments");
            adjustment.Property(a => a.From).HasJsonPropertyName("from");
            adjustment.Property(a => a.To).HasJsonPropertyName("to");
            adjustment.Property(a => a.Factor).HasJsonPropertyName("factor");
        });
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_products_lead_time_override", "lead_time_override_days IS NULL OR lead_time_override_days BETWEEN 0 AND 3650");
            t.HasCheckConstraint("ck_products_order_cycle", "order_cycle_days BETWEEN 0 AND 3650");
            t.HasCheckConstraint("ck_products_unit_precision", "unit_precision BETWEEN 0 AND 6");
        });
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        builder.Property(p => p.Version).IsRowVersion();
        builder.HasIndex(p => new { p.OrganizationId, p.Sku }).IsUnique();
        builder.HasIndex(p => new { p.OrganizationId, p.Status, p.Category });
        builder.HasIndex(p => p.Name).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_products_name_trgm");
        builder.HasIndex(p => p.Sku).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("ix_products_sku_trgm");
        // Deleting a profile that products use is refused (409) by the endpoint; the database enforces it too.
        builder.HasOne(p => p.BufferProfile).WithMany().HasForeignKey(p => p.BufferProfileId).OnDelete(DeleteBehavior.Restrict);
    }
}
