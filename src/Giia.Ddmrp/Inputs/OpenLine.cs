using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.Inputs;

/// <summary>
/// An open document line for a product: supply on order or demand to ship, identified by the caller's reference
/// (e.g. <c>PO-1042/3</c>), with what is still open and when it is due. A line sent again replaces itself; an open
/// quantity of 0 closes it.
/// </summary>
public sealed class OpenLine
{
    public Guid OrganizationId { get; set; }

    public OpenLineKind Kind { get; set; }

    public required string Reference { get; set; }

    public Guid ProductId { get; set; }

    public DateOnly DueDate { get; set; }

    public decimal Quantity { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum OpenLineKind
{
    Supply,
    Demand,
}

internal sealed class OpenLineConfiguration : IEntityTypeConfiguration<OpenLine>
{
    public void Configure(EntityTypeBuilder<OpenLine> builder)
    {
        builder.ToTable("open_lines", t => t.HasCheckConstraint("ck_open_lines_quantity", "quantity >= 0"));
        builder.HasKey(r => new { r.OrganizationId, r.Kind, r.Reference });
        builder.Property(r => r.OrganizationId).HasColumnName("organization_id");
        builder.Property(r => r.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Reference).HasColumnName("reference").HasMaxLength(InputRules.MaxReferenceLength);
        builder.Property(r => r.ProductId).HasColumnName("product_id");
        builder.Property(r => r.DueDate).HasColumnName("due_date");
        builder.Property(r => r.Quantity).HasColumnName("quantity").HasPrecision(InputRules.QuantityPrecision, InputRules.QuantityScale);
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at");
        // A calculation reads one product's open lines of one kind.
        builder.HasIndex(r => new { r.OrganizationId, r.ProductId, r.Kind });
    }
}
