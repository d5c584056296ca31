using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.DlqWorker.Parking;

/// <summary>An event whose retries are spent: kept with everything an operator needs to replay or discard it.</summary>
public sealed class ParkedEvent
{
    public Guid Id { get; set; }

    public required string EventId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The subject the event was first published on (without the <c>dlq.</c> prefix).</summary>
    public required string OriginalSubject { get; set; }

    /// <summary>The durable consumer that failed on it; a replay goes back to this consumer only.</summary>
    public required string Consumer { get; set; }

    public Guid? OrganizationId { get; set; }

    public required string Payload { get; set; }

    public required string Headers { get; set; }

    /// <summary>JSON array of every attempt: time and error.</summary>
    public required string Attempts { get; set; }

    public ParkedEventStatus Status { get; set; } = ParkedEventStatus.Parked;

    public DateTimeOffset FirstFailedAt { get; set; }

    public DateTimeOffset ParkedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
}

public enum ParkedEventStatus
{
    Parked,
    Replayed,
    Discarded,
}

internal sealed class ParkedEventConfiguration : IEntityTypeConfiguration<ParkedEvent>
{
    public void Configure(EntityTypeBuilder<ParkedEvent> builder)
    {
        builder.ToTable("parked_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.EventId).HasColumnName("event_id").HasMaxLength(100);
        builder.Property(e => e.EventType).HasColumnName("event_type").HasMaxLength(100);
        builder.Property(e => e.OriginalSubject).HasColumnName("original_subject").HasMaxLength(300);
        builder.Property(e => e.Consumer).HasColumnName("consumer").HasMaxLength(200);
        builder.Property(e => e.OrganizationId).HasColumnName("organization_id");
        builder.Property(e => e.Payload).HasColumnName("payload").HasColumnType("jsonb");
        builder.Property(e => e.Headers).HasColumnName("headers").HasColumnType("jsonb");
        builder.Property(e => e.Attempts).HasColumnName("attempts").HasColumnType("jsonb");
        builder.Property(e => e.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.FirstFailedAt).HasColumnName("first_failed_at");
        builder.Property(e => e.ParkedAt).HasColumnName("parked_at");
        builder.Property(e => e.ResolvedAt).HasColumnName("resolved_at");
        builder.HasIndex(e => new { e.EventId, e.Consumer }).IsUnique();
        builder.HasIndex(e => new { e.Status, e.ParkedAt });
        builder.HasIndex(e => e.EventType);
    }
}
