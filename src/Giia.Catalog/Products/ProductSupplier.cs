using Giia.Catalog.Suppliers;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.Products;

/// <summary>A supplier a product can be bought from, on these terms; at most one link per product is primary.</summary>
public sealed class ProductSupplier
{
    public Guid ProductId { get; set; }

    public Guid SupplierId { get; set; }

    public Supplier? Supplier { get; set; }

    public Guid OrganizationId { get; set; }

    /// <summary>Days from order to receipt from this supplier (DDMRP's decoupled lead time input).</summary>
    public int LeadTimeDays { get; set; }

    public decimal UnitCost { get; set; }

    public decimal MinimumOrderQuantity { get; set; }

    /// <summary>Orders from this supplier come in multiples of this (a pack or pallet); 0: any quantity.</summary>
    public decimal OrderMultiple { get; set; }

    public bool IsPrimary { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

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
        builder.Property(l => l.UnitCost).HasColumnName("unit_cost").HasPrecision(ProductEndpoints.AmountPrecision, ProductEndpoints.AmountScale);
        builder.Property(l => l.MinimumOrderQuantity).HasColumnName("minimum_order_quantity").HasPrecision(ProductEndpoints.AmountPrecision, ProductEndpoints.AmountScale);
        builder.Property(l => l.OrderMultiple).HasColumnName("order_multiple").HasPrecision(ProductEndpoints.AmountPrecision, ProductEndpoints.AmountScale).HasDefaultValue(0m);
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
