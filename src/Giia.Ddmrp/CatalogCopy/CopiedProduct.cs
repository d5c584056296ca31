using Giia.Events.Contracts;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.CatalogCopy;

/// <summary>
/// What the buffer engine knows of a Catalog product, kept from Catalog's events (and refreshed by each calculation
/// made with the caller's token), so background recalculations need no caller. <see cref="Version"/> is the Catalog
/// time of the state held: an older event or read never overwrites a newer one. A deleted product stays as a tombstone
/// (status <c>deleted</c>) so that an older event arriving late cannot bring it back.
/// </summary>
public sealed class CopiedProduct
{
    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    public required string Sku { get; set; }

    public required string Status { get; set; }

    public Guid? BufferProfileId { get; set; }

    public int? LeadTimeOverrideDays { get; set; }

    public int OrderCycleDays { get; set; }

    public int UnitPrecision { get; set; }

    public List<DemandAdjustmentPeriod> DemandAdjustments { get; set; } = [];

    /// <summary>
    /// Whether the terms above came from Catalog (an event that carried them, or a read): a product known only from an
    /// older Catalog's events is not recalculated from guessed terms.
    /// </summary>
    public bool TermsKnown { get; set; }

    public DateTimeOffset Version { get; set; }
}

internal sealed class CopiedProductConfiguration : IEntityTypeConfiguration<CopiedProduct>
{
    public void Configure(EntityTypeBuilder<CopiedProduct> builder)
    {
        builder.ToTable("catalog_products");
        builder.HasKey(p => new { p.OrganizationId, p.ProductId });
        builder.Property(p => p.OrganizationId).HasColumnName("organization_id");
        builder.Property(p => p.ProductId).HasColumnName("product_id");
        builder.Property(p => p.Sku).HasColumnName("sku").HasMaxLength(64);
        builder.Property(p => p.Status).HasColumnName("status").HasMaxLength(20);
        builder.Property(p => p.BufferProfileId).HasColumnName("buffer_profile_id");
        builder.Property(p => p.LeadTimeOverrideDays).HasColumnName("lead_time_override_days");
        builder.Property(p => p.OrderCycleDays).HasColumnName("order_cycle_days");
        builder.Property(p => p.UnitPrecision).HasColumnName("unit_precision");
        builder.Property(p => p.DemandAdjustments).HasColumnName("demand_adjustments").HasColumnType("jsonb")
            .HasConversion(CopyJson.Converter<List<DemandAdjustmentPeriod>>(), CopyJson.Comparer<List<DemandAdjustmentPeriod>>());
        builder.Property(p => p.TermsKnown).HasColumnName("terms_known");
        builder.Property(p => p.Version).HasColumnName("version");
        // A profile's change recalculates the products that use it.
        builder.HasIndex(p => new { p.OrganizationId, p.BufferProfileId });
    }
}
