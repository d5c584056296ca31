using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.Buffers;

/// <summary>
/// A product's buffer as of its latest calculation: what the planning screen lists and sorts. Written only by the
/// conditional upsert in <see cref="BufferCalculations"/>, so concurrent calculations leave the newest one here.
/// </summary>
public sealed class BufferState
{
    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    public Guid LatestCalculationId { get; set; }

    public DateTimeOffset CalculatedAt { get; set; }

    public required string PlanningStatus { get; set; }

    public decimal NetFlowPercent { get; set; }

    public BufferCalculationRecord? Latest { get; set; }
}

internal sealed class BufferStateConfiguration : IEntityTypeConfiguration<BufferState>
{
    public void Configure(EntityTypeBuilder<BufferState> builder)
    {
        builder.ToTable("buffers");
        builder.HasKey(b => new { b.OrganizationId, b.ProductId });
        builder.Property(b => b.OrganizationId).HasColumnName("organization_id");
        builder.Property(b => b.ProductId).HasColumnName("product_id");
        builder.Property(b => b.LatestCalculationId).HasColumnName("latest_calculation_id");
        builder.Property(b => b.CalculatedAt).HasColumnName("calculated_at");
        builder.Property(b => b.PlanningStatus).HasColumnName("planning_status").HasMaxLength(20);
        builder.Property(b => b.NetFlowPercent).HasColumnName("net_flow_percent").HasPrecision(28, 4);
        builder.HasOne(b => b.Latest).WithMany().HasForeignKey(b => b.LatestCalculationId).OnDelete(DeleteBehavior.Restrict);
        // The planning screen: one organization's buffers of a status, most urgent (lowest NFP %) first.
        builder.HasIndex(b => new { b.OrganizationId, b.PlanningStatus, b.NetFlowPercent });
        builder.HasIndex(b => new { b.OrganizationId, b.NetFlowPercent });
    }
}
