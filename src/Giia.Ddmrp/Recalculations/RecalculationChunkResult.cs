using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.Recalculations;

/// <summary>What one chunk of a job did, written in the transaction that saved its calculations.</summary>
public sealed class RecalculationChunkResult
{
    public Guid JobId { get; set; }

    public int Chunk { get; set; }

    public int Calculated { get; set; }

    public int Skipped { get; set; }

    public DateTimeOffset CompletedAt { get; set; }
}

internal sealed class RecalculationChunkResultConfiguration : IEntityTypeConfiguration<RecalculationChunkResult>
{
    public void Configure(EntityTypeBuilder<RecalculationChunkResult> builder)
    {
        builder.ToTable("recalculation_chunks");
        builder.HasKey(c => new { c.JobId, c.Chunk });
        builder.Property(c => c.JobId).HasColumnName("job_id");
        builder.Property(c => c.Chunk).HasColumnName("chunk");
        builder.Property(c => c.Calculated).HasColumnName("calculated");
        builder.Property(c => c.Skipped).HasColumnName("skipped");
        builder.Property(c => c.CompletedAt).HasColumnName("completed_at");
        builder.HasOne<RecalculationJob>().WithMany().HasForeignKey(c => c.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}
