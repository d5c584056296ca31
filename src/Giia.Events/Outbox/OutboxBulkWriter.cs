using Npgsql;

using NpgsqlTypes;

namespace Giia.Events.Outbox;

/// <summary>
/// Stores many outbox rows with one binary COPY, for high-volume writers (the audit trail of permission checks) whose
/// per-row INSERTs would cost more than the work they record. Runs on the caller's connection and transaction; the
/// caller signals the relay (<see cref="OutboxSignal"/>) after its commit.
/// </summary>
public static class OutboxBulkWriter
{
    public static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyCollection<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(messages);
        await using var import = await connection.BeginBinaryImportAsync(
            "COPY outbox_messages (id, nats_subject, event_type, payload, trace_parent, trace_state, created_at, next_attempt_at, attempts) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var message in messages)
        {
            await import.StartRowAsync(cancellationToken);
            await import.WriteAsync(message.Id, NpgsqlDbType.Uuid, cancellationToken);
            await import.WriteAsync(message.NatsSubject, NpgsqlDbType.Varchar, cancellationToken);
            await import.WriteAsync(message.EventType, NpgsqlDbType.Varchar, cancellationToken);
            await import.WriteAsync(message.Payload, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(import, message.TraceParent, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(import, message.TraceState, NpgsqlDbType.Varchar, cancellationToken);
            await import.WriteAsync(message.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await import.WriteAsync(message.NextAttemptAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await import.WriteAsync(message.Attempts, NpgsqlDbType.Integer, cancellationToken);
        }

        await import.CompleteAsync(cancellationToken);
    }

    /// <summary>Writes a value or SQL NULL (COPY has no default for a missing value).</summary>
    public static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(import);
        if (value is null)
        {
            await import.WriteNullAsync(cancellationToken);
        }
        else
        {
            await import.WriteAsync(value, type, cancellationToken);
        }
    }

    /// <summary>Writes a value or SQL NULL, for value types.</summary>
    public static async Task WriteNullableValueAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(import);
        if (value is { } present)
        {
            await import.WriteAsync(present, type, cancellationToken);
        }
        else
        {
            await import.WriteNullAsync(cancellationToken);
        }
    }
}
