using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.CatalogCopy;

/// <summary>A product's terms with one supplier, as Catalog's link events last said (see <see cref="CopiedProduct"/>).</summary>
public sealed class CopiedSupplierLink
{
    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    public Guid SupplierId { get; set; }

    public int LeadTimeDays { get; set; }

    public decimal MinimumOrderQuantity { get; set; }

    public decimal OrderMultiple { get; set; }

    public bool IsPrimary { get; set; }

    /// <summary>Unlinked: kept as a tombstone so an older link event arriving late cannot bring the link back.</summary>
    public bool Removed { get; set; }

    public DateTimeOffset Version { get; set; }
}

internal sealed class CopiedSupplierLinkConfiguration : IEntityTypeConfiguration<CopiedSupplierLink>
{
    public void Configure(EntityTypeBuilder<CopiedSupplierLink> builder)
    {
        builder.ToTable("catalog_supplier_links");
        builder.HasKey(l => new { l.OrganizationId, l.ProductId, l.SupplierId });
        builder.Property(l => l.OrganizationId).HasColumnName("organization_id");
        builder.Property(l => l.ProductId).HasColumnName("product_id");
        builder.Property(l => l.SupplierId).HasColumnName("supplier_id");
        builder.Property(l => l.LeadTimeDays).HasColumnName("lead_time_days");
        builder.Property(l => l.MinimumOrderQuantity).HasColumnName("minimum_order_quantity").HasPrecision(28, 8);
        builder.Property(l => l.OrderMultiple).HasColumnName("order_multiple").HasPrecision(28, 8);
        builder.Property(l => l.IsPrimary).HasColumnName("is_primary");
        builder.Property(l => l.Removed).HasColumnName("removed");
        builder.Property(l => l.Version).HasColumnName("version");
        // A supplier's change recalculates the products it is the primary source of.
        builder.HasIndex(l => new { l.OrganizationId, l.SupplierId });
    }
}
