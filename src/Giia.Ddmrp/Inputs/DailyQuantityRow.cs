using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.Inputs;

/// <summary>One product's quantity on one day: its usage (consumption) or its forecast. A day has one row per kind.</summary>
public sealed class DailyQuantityRow
{
    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    public DailyQuantityKind Kind { get; set; }

    public DateOnly Day { get; set; }

    public decimal Quantity { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum DailyQuantityKind
{
    Usage,
    Forecast,
}

internal sealed class DailyQuantityRowConfiguration : IEntityTypeConfiguration<DailyQuantityRow>
{
    public void Configure(EntityTypeBuilder<DailyQuantityRow> builder)
    {
        builder.ToTable("daily_quantities", t => t.HasCheckConstraint("ck_daily_quantities_quantity", "quantity >= 0"));
        builder.HasKey(r => new { r.OrganizationId, r.ProductId, r.Kind, r.Day });
        builder.Property(r => r.OrganizationId).HasColumnName("organization_id");
        builder.Property(r => r.ProductId).HasColumnName("product_id");
        builder.Property(r => r.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Day).HasColumnName("day");
        builder.Property(r => r.Quantity).HasColumnName("quantity").HasPrecision(InputRules.QuantityPrecision, InputRules.QuantityScale);
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at");
    }
}
