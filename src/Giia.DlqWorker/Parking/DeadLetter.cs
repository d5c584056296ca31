using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.DlqWorker.Parking;

/// <summary>
/// One event that one consumer failed on, from its arrival in the DLQ to its end: recovered by a retry, parked
/// when retries are spent, then replayed or discarded by an operator. Every attempt's error is kept.
/// </summary>
public sealed class DeadLetter
{
    public Guid Id { get; set; }

    public required string EventId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The subject the event was published on (without the <c>dlq.</c> prefix).</summary>
    public required string OriginalSubject { get; set; }

    public string? OriginalStream { get; set; }

    public long StreamSequence { get; set; }

    /// <summary>The durable consumer that failed; retries and replays go back to it alone.</summary>
    public required string Consumer { get; set; }

    public Guid? OrganizationId { get; set; }

    /// <summary><c>handler</c> (the handler threw) or <c>schema</c> (the message broke its schema: never retried).</summary>
    public required string Reason { get; set; }

    /// <summary>The original message body (the CloudEvents envelope).</summary>
    public required string Payload { get; set; }

    /// <summary>The original NATS headers that matter for a replay (trace context, event type), as JSON.</summary>
    public required string Headers { get; set; }

    public List<DeadLetterAttempt> Attempts { get; set; } = [];

    /// <summary>The waits before retry 1, 2, 3...; when they are spent the event is parked.</summary>
    public TimeSpan[] RetrySchedule { get; set; } = [];

    /// <summary>Retries and replays published so far; the next one is number <c>RetriesSent + 1</c>.</summary>
    public int RetriesSent { get; set; }

    public DeadLetterStatus Status { get; set; }

    public DateTimeOffset? NextRetryAt { get; set; }

    public DateTimeOffset FirstFailedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ParkedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolvedBy { get; set; }

    /// <summary>Every replay and discard, with who did it and when (kept even when a replay comes back parked).</summary>
    public List<DeadLetterOperatorAction> OperatorActions { get; set; } = [];

    /// <summary>PostgreSQL's xmin: the intake and the retry scheduler never overwrite each other's change.</summary>
    public uint Version { get; set; }
}

/// <param name="Retry">0: the consumer's own deliveries; n: the DLQ worker's n-th retry or replay.</param>
public sealed record DeadLetterAttempt(int Retry, DateTimeOffset FailedAt, int Deliveries, string Reason, string Error);

/// <summary>An operator's replay or discard of a dead letter.</summary>
/// <param name="Action"><c>replay</c> or <c>discard</c>.</param>
public sealed record DeadLetterOperatorAction(string Action, Guid UserId, Guid OrganizationId, string? Email, DateTimeOffset At);

public enum DeadLetterStatus
{
    Retrying,
    Recovered,
    Parked,
    Replayed,
    Discarded,
}

internal sealed class DeadLetterConfiguration : IEntityTypeConfiguration<DeadLetter>
{
    public void Configure(EntityTypeBuilder<DeadLetter> builder)
    {
        builder.ToTable("dead_letters");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.EventId).HasColumnName("event_id").HasMaxLength(100);
        builder.Property(e => e.EventType).HasColumnName("event_type").HasMaxLength(100);
        builder.Property(e => e.OriginalSubject).HasColumnName("original_subject").HasMaxLength(300);
        builder.Property(e => e.OriginalStream).HasColumnName("original_stream").HasMaxLength(100);
        builder.Property(e => e.StreamSequence).HasColumnName("stream_sequence");
        builder.Property(e => e.Consumer).HasColumnName("consumer").HasMaxLength(200);
        builder.Property(e => e.OrganizationId).HasColumnName("organization_id");
        builder.Property(e => e.Reason).HasColumnName("reason").HasMaxLength(20);
        builder.Property(e => e.Payload).HasColumnName("payload");
        builder.Property(e => e.Headers).HasColumnName("headers").HasColumnType("jsonb");
        builder.OwnsMany(e => e.Attempts, attempts => attempts.ToJson("attempts"));
        builder.OwnsMany(e => e.OperatorActions, actions => actions.ToJson("operator_actions"));
        builder.Property(e => e.RetriesSent).HasColumnName("retries_sent");
        builder.Property(e => e.RetrySchedule).HasColumnName("retry_schedule");
        builder.Property(e => e.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.NextRetryAt).HasColumnName("next_retry_at");
        builder.Property(e => e.FirstFailedAt).HasColumnName("first_failed_at");
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at");
        builder.Property(e => e.ParkedAt).HasColumnName("parked_at");
        builder.Property(e => e.ResolvedAt).HasColumnName("resolved_at");
        builder.Property(e => e.ResolvedBy).HasColumnName("resolved_by").HasMaxLength(200);
        builder.Property(e => e.Version).IsRowVersion();
        builder.HasIndex(e => new { e.EventId, e.Consumer }).IsUnique();
        builder.HasIndex(e => new { e.Status, e.FirstFailedAt });
        builder.HasIndex(e => e.NextRetryAt).HasFilter("status = 'Retrying' AND next_retry_at IS NOT NULL");
        builder.HasIndex(e => new { e.Status, e.UpdatedAt }).IsCreatedConcurrently(); // the sweeper and the retention of resolved records
        builder.HasIndex(e => e.EventType);
        builder.HasIndex(e => e.OriginalSubject);
    }
}
