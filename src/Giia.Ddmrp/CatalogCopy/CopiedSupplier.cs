using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.CatalogCopy;

/// <summary>A supplier's default lead time, the last fallback of a product's DLT (see <see cref="CopiedProduct"/>).</summary>
public sealed class CopiedSupplier
{
    public Guid OrganizationId { get; set; }

    public Guid SupplierId { get; set; }

    public int DefaultLeadTimeDays { get; set; }

    public DateTimeOffset Version { get; set; }
}

internal sealed class CopiedSupplierConfiguration : IEntityTypeConfiguration<CopiedSupplier>
{
    public void Configure(EntityTypeBuilder<CopiedSupplier> builder)
    {
        builder.ToTable("catalog_suppliers");
        builder.HasKey(s => new { s.OrganizationId, s.SupplierId });
        builder.Property(s => s.OrganizationId).HasColumnName("organization_id");
        builder.Property(s => s.SupplierId).HasColumnName("supplier_id");
        builder.Property(s => s.DefaultLeadTimeDays).HasColumnName("default_lead_time_days");
        builder.Property(s => s.Version).HasColumnName("version");
    }
}
