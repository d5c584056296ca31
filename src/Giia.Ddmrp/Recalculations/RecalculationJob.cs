using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.Recalculations;

/// <summary>
/// A recalculation of many buffers, split into chunks on the work queue. The row is written once, when the job is
/// queued; each chunk records its own result (<see cref="RecalculationChunkResult"/>), so replicas working on one job
/// never update a shared row, and progress is the sum of what the chunks recorded.
/// </summary>
public sealed class RecalculationJob
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public RecalculationTrigger Trigger { get; set; }

    /// <summary>What started it: the event and its subject for a Catalog trigger, else empty.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Whether it covers every product of the organization (manual and nightly jobs).</summary>
    public bool WholeOrganization { get; set; }

    /// <summary>The user who asked for it (manual jobs).</summary>
    public Guid? RequestedBy { get; set; }

    /// <summary>The day a nightly job is for: one per organization and day, whichever replica starts it.</summary>
    public DateOnly? NightlyDay { get; set; }

    public int ProductCount { get; set; }

    public int ChunkCount { get; set; }

    public DateTimeOffset QueuedAt { get; set; }
}

internal sealed class RecalculationJobConfiguration : IEntityTypeConfiguration<RecalculationJob>
{
    public void Configure(EntityTypeBuilder<RecalculationJob> builder)
    {
        builder.ToTable("recalculation_jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).HasColumnName("id");
        builder.Property(j => j.OrganizationId).HasColumnName("organization_id");
        builder.Property(j => j.Trigger).HasColumnName("trigger").HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.Reason).HasColumnName("reason").HasMaxLength(300);
        builder.Property(j => j.WholeOrganization).HasColumnName("whole_organization");
        builder.Property(j => j.RequestedBy).HasColumnName("requested_by");
        builder.Property(j => j.NightlyDay).HasColumnName("nightly_day");
        builder.Property(j => j.ProductCount).HasColumnName("product_count");
        builder.Property(j => j.ChunkCount).HasColumnName("chunk_count");
        builder.Property(j => j.QueuedAt).HasColumnName("queued_at");
        builder.HasIndex(j => new { j.OrganizationId, j.QueuedAt });
        builder.HasIndex(j => new { j.OrganizationId, j.NightlyDay }).IsUnique().HasFilter("nightly_day IS NOT NULL");
    }
}
