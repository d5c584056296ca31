using Giia.Catalog.Products;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.Data.Configurations;

internal sealed class ProductSupplierConfiguration : IEntityTypeConfiguration<ProductSupplier>
{
    public void Configure(EntityTypeBuilder<ProductSupplier> builder)
    {
        builder.ToTable("product_suppliers");
        builder.HasKey(l => new { l.ProductId, l.SupplierId });
        builder.Property(l => l.ProductId).HasColumnName("product_id");
        builder.Property(l => l.SupplierId).HasColumnName("supplier_id");
        builder.Property(l => l.OrganizationId).HasColumnName("organization_id");
        builder.Property(l => l.LeadTimeDays).HasColumnName("lead_time_days");
        builder.Property(l => l.UnitCost).HasColumnName("unit_cost").HasPrecision(ProductLimits.AmountPrecision, ProductLimits.AmountScale);
        builder.Property(l => l.MinimumOrderQuantity).HasColumnName("minimum_order_quantity").HasPrecision(ProductLimits.AmountPrecision, ProductLimits.AmountScale);
        builder.Property(l => l.OrderMultiple).HasColumnName("order_multiple").HasPrecision(ProductLimits.AmountPrecision, ProductLimits.AmountScale).HasDefaultValue(0m);
        builder.Property(l => l.IsPrimary).HasColumnName("is_primary");
        builder.Property(l => l.CreatedAt).HasColumnName("created_at");
        builder.Property(l => l.UpdatedAt).HasColumnName("updated_at");
        builder.HasOne<Product>().WithMany(p => p.Suppliers).HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(l => l.Supplier).WithMany().HasForeignKey(l => l.SupplierId).OnDelete(DeleteBehavior.Restrict);
        // At most one primary supplier per product, enforced where concurrent writers cannot slip past it.
        builder.HasIndex(l => l.ProductId).IsUnique().HasFilter("is_primary").HasDatabaseName("ux_product_suppliers_primary");
        builder.HasIndex(l => l.SupplierId);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_product_suppliers_lead_time", "lead_time_days >= 0");
            t.HasCheckConstraint("ck_product_suppliers_order_multiple", "order_multiple >= 0");
        });
    }
}
