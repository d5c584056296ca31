using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Events.Outbox;

/// <summary>
/// An event written in the same transaction as the change it describes, waiting for the relay to publish it.
/// Its id is the event id, which is also the JetStream <c>Nats-Msg-Id</c>: a row published twice is stored once.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    public required string NatsSubject { get; set; }

    public required string EventType { get; set; }

    /// <summary>The CloudEvents envelope, exactly the bytes that go on the wire.</summary>
    public required string Payload { get; set; }

    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    /// <summary>The longest tracestate the outbox keeps (its column's length).</summary>
    public const int MaxTraceStateLength = 500;

    /// <summary>The aggregate the event is about (the envelope's <c>subject</c>), for events published in order; else null.</summary>
    public string? Aggregate { get; set; }

    /// <summary>1, 2, 3... per aggregate, assigned by the database as the row is inserted (see <see cref="OutboxMigrations"/>).</summary>
    public long? AggregateVersion { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}

/// <summary>A (consumer, event) pair already handled: written with the handler's own changes, it makes redelivery harmless.</summary>
public sealed class ProcessedEvent
{
    public required string Consumer { get; set; }

    public required string EventId { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}

public static class EventTablesModelBuilderExtensions
{
    /// <summary>Adds <c>outbox_messages</c> and <c>processed_events</c> to a service's model (call from OnModelCreating).</summary>
    public static ModelBuilder AddEventTables(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<OutboxMessage>(Configure);
        modelBuilder.Entity<ProcessedEvent>(Configure);
        return modelBuilder;
    }

    private static void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).HasColumnName("id");
        builder.Property(m => m.NatsSubject).HasColumnName("nats_subject").HasMaxLength(300);
        builder.Property(m => m.EventType).HasColumnName("event_type").HasMaxLength(100);
        builder.Property(m => m.Payload).HasColumnName("payload");
        builder.Property(m => m.TraceParent).HasColumnName("trace_parent").HasMaxLength(100);
        builder.Property(m => m.TraceState).HasColumnName("trace_state").HasMaxLength(OutboxMessage.MaxTraceStateLength);
        builder.Property(m => m.Aggregate).HasColumnName("aggregate").HasMaxLength(EventEnvelope.MaxNameLength);
        builder.Property(m => m.AggregateVersion).HasColumnName("aggregate_version");
        builder.Property(m => m.CreatedAt).HasColumnName("created_at");
        builder.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
        builder.Property(m => m.SentAt).HasColumnName("sent_at");
        builder.Property(m => m.Attempts).HasColumnName("attempts");
        builder.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(2000);
        // The relay reads unsent rows oldest first and stops at its batch size: an index in that order (partial, so it
        // is as small as the backlog) serves it without sorting; the due-time filter is checked on the rows it walks.
        builder.HasIndex(m => new { m.CreatedAt, m.Id }).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_messages_unsent_order").IsCreatedConcurrently();
        // Whether an aggregate has an earlier unsent row: one probe per candidate row.
        builder.HasIndex(m => new { m.Aggregate, m.AggregateVersion }).HasFilter("sent_at IS NULL AND aggregate IS NOT NULL")
            .HasDatabaseName("ix_outbox_messages_unsent_aggregate").IsCreatedConcurrently();
        builder.HasIndex(m => m.SentAt).HasFilter("sent_at IS NOT NULL").HasDatabaseName("ix_outbox_messages_sent");
    }

    private static void Configure(EntityTypeBuilder<ProcessedEvent> builder)
    {
        builder.ToTable("processed_events");
        builder.HasKey(e => new { e.Consumer, e.EventId });
        builder.Property(e => e.Consumer).HasColumnName("consumer").HasMaxLength(200);
        builder.Property(e => e.EventId).HasColumnName("event_id").HasMaxLength(100);
        builder.Property(e => e.ProcessedAt).HasColumnName("processed_at");
        builder.HasIndex(e => e.ProcessedAt).HasDatabaseName("ix_processed_events_processed_at").IsCreatedConcurrently();
    }
}
