using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.Recalculations;

/// <summary>A product a job could not calculate, and why (no profile, no lead time, figures too large...).</summary>
public sealed class RecalculationSkip
{
    public Guid JobId { get; set; }

    public Guid ProductId { get; set; }

    public required string Reason { get; set; }
}

internal sealed class RecalculationSkipConfiguration : IEntityTypeConfiguration<RecalculationSkip>
{
    public void Configure(EntityTypeBuilder<RecalculationSkip> builder)
    {
        builder.ToTable("recalculation_skips");
        builder.HasKey(s => new { s.JobId, s.ProductId });
        builder.Property(s => s.JobId).HasColumnName("job_id");
        builder.Property(s => s.ProductId).HasColumnName("product_id");
        builder.Property(s => s.Reason).HasColumnName("reason").HasMaxLength(500);
        builder.HasOne<RecalculationJob>().WithMany().HasForeignKey(s => s.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
