using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.Buffers;

/// <summary>
/// One saved calculation of a product's buffer: its result and, in <see cref="Inputs"/>, everything it was calculated
/// from (the Catalog parameters and the positions read), so any past figure can be explained. Never changed.
/// </summary>
public sealed class BufferCalculationRecord
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid ProductId { get; set; }

    public DateTimeOffset CalculatedAt { get; set; }

    /// <summary>The planning day the calculation was made for (UTC).</summary>
    public DateOnly PlanningDay { get; set; }

    public decimal Adu { get; set; }

    public int DltDays { get; set; }

    public decimal Red { get; set; }

    public decimal Yellow { get; set; }

    public decimal Green { get; set; }

    public decimal TopOfRed { get; set; }

    public decimal TopOfYellow { get; set; }

    public decimal TopOfGreen { get; set; }

    public decimal OnHand { get; set; }

    public decimal OpenSupply { get; set; }

    public decimal QualifiedDemand { get; set; }

    public decimal NetFlowPosition { get; set; }

    public decimal NetFlowPercent { get; set; }

    public required string PlanningStatus { get; set; }

    public required string ExecutionStatus { get; set; }

    public decimal RecommendedOrder { get; set; }

    /// <summary>The calculation's inputs and detailed result as JSON (<see cref="BufferCalculationDetail"/>).</summary>
    public required string Inputs { get; set; }
}

internal sealed class BufferCalculationRecordConfiguration : IEntityTypeConfiguration<BufferCalculationRecord>
{
    public void Configure(EntityTypeBuilder<BufferCalculationRecord> builder)
    {
        builder.ToTable("buffer_calculations");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id");
        builder.Property(c => c.OrganizationId).HasColumnName("organization_id");
        builder.Property(c => c.ProductId).HasColumnName("product_id");
        builder.Property(c => c.CalculatedAt).HasColumnName("calculated_at");
        builder.Property(c => c.PlanningDay).HasColumnName("planning_day");
        builder.Property(c => c.Adu).HasColumnName("adu").HasPrecision(28, 8);
        builder.Property(c => c.DltDays).HasColumnName("dlt_days");
        foreach (var (property, column) in new[]
        {
            (nameof(BufferCalculationRecord.Red), "red"), (nameof(BufferCalculationRecord.Yellow), "yellow"),
            (nameof(BufferCalculationRecord.Green), "green"), (nameof(BufferCalculationRecord.TopOfRed), "top_of_red"),
            (nameof(BufferCalculationRecord.TopOfYellow), "top_of_yellow"), (nameof(BufferCalculationRecord.TopOfGreen), "top_of_green"),
            (nameof(BufferCalculationRecord.OnHand), "on_hand"), (nameof(BufferCalculationRecord.OpenSupply), "open_supply"),
            (nameof(BufferCalculationRecord.QualifiedDemand), "qualified_demand"),
            (nameof(BufferCalculationRecord.NetFlowPosition), "net_flow_position"),
            (nameof(BufferCalculationRecord.RecommendedOrder), "recommended_order"),
        })
        {
            builder.Property(property).HasColumnName(column).HasPrecision(28, 8);
        }

        builder.Property(c => c.NetFlowPercent).HasColumnName("net_flow_percent").HasPrecision(28, 4);
        builder.Property(c => c.PlanningStatus).HasColumnName("planning_status").HasMaxLength(20);
        builder.Property(c => c.ExecutionStatus).HasColumnName("execution_status").HasMaxLength(20);
        builder.Property(c => c.Inputs).HasColumnName("inputs").HasColumnType("jsonb");
        // A product's history, newest first.
        builder.HasIndex(c => new { c.OrganizationId, c.ProductId, c.CalculatedAt });
    }
}
