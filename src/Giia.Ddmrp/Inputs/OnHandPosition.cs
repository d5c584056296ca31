using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.Inputs;

/// <summary>What a product has on hand now (negative when a stock-out was booked ahead of a receipt).</summary>
public sealed class OnHandPosition
{
    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    public decimal Quantity { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class OnHandPositionConfiguration : IEntityTypeConfiguration<OnHandPosition>
{
    public void Configure(EntityTypeBuilder<OnHandPosition> builder)
    {
        builder.ToTable("on_hand_positions");
        builder.HasKey(r => new { r.OrganizationId, r.ProductId });
        builder.Property(r => r.OrganizationId).HasColumnName("organization_id");
        builder.Property(r => r.ProductId).HasColumnName("product_id");
        builder.Property(r => r.Quantity).HasColumnName("quantity").HasPrecision(InputRules.QuantityPrecision, InputRules.QuantityScale);
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at");
    }
}
