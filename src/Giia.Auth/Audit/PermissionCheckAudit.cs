using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;

using Giia.Auth.Data;
using Giia.Auth.Rbac;
using Giia.Events;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

using Npgsql;

using NpgsqlTypes;

using Polly;
using Polly.Retry;

namespace Giia.Auth.Audit;

/// <summary>
/// Permission-check audit records, queued in memory by the check and written in batches by a background writer, so an
/// audit record never adds a database round trip to a check. A batch that fails to be written is retried, never
/// dropped; records are dropped (and counted, and logged) only when the queue is full. Stopping the service writes
/// what is queued before the process ends. The records are also published, in batches of an organization's records
/// (<c>audit.checks_recorded</c>), in the same transaction as their rows.
/// </summary>
public sealed partial class PermissionCheckAudit : BackgroundService, IHealthCheck
{
    /// <summary>Records per <see cref="AuditChecksRecorded"/> event (its schema allows 500).</summary>
    public const int RecordsPerEvent = 200;

    /// <summary>The most an event's records may take in the worst case (see <see cref="WorstCaseBytes"/>).</summary>
    public const int MaxEventBytes = 256 * 1024;

    private readonly Channel<AuditLog> queue;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly ILogger<PermissionCheckAudit> logger;
    private readonly AuditOptions options;
    private readonly Counter<long> droppedCounter;
    private readonly Counter<long> writtenCounter;
    private long dropped;
    private long written;
    private bool stopping;

    public PermissionCheckAudit(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, IMeterFactory meters,
        ILogger<PermissionCheckAudit> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        this.scopes = scopes;
        this.time = time;
        this.logger = logger;
        this.options = options.Value;
        queue = Channel.CreateBounded<AuditLog>(new BoundedChannelOptions(this.options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        var meter = meters.Create(GiiaTelemetry.MeterName);
        droppedCounter = meter.CreateCounter<long>("giia.audit.dropped", "{record}", "Permission-check audit records dropped because the queue was full");
        writtenCounter = meter.CreateCounter<long>("giia.audit.written", "{record}", "Permission-check audit records written");
    }

    public long Dropped => Interlocked.Read(ref dropped);

    public long Written => Interlocked.Read(ref written);

    public void Record(Guid userId, Guid organizationId, string permission, PermissionDecision decision, RequestMetadata request,
        CheckTarget? target = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(request);
        if (!options.PermissionChecks)
        {
            return;
        }

        var entry = new AuditLog
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            UserId = userId,
            Action = AuditActions.PermissionCheck,
            Resource = permission,
            Result = decision.Allowed ? AuditResults.Allowed : AuditResults.Denied,
            IpAddress = request.IpAddress,
            UserAgent = request.UserAgent,
            RequestId = request.RequestId,
            Metadata = target is null
                ? JsonSerializer.SerializeToDocument(new { reason = decision.Reason })
                : JsonSerializer.SerializeToDocument(new { reason = decision.Reason, targetUserId = target.UserId, targetOrganizationId = target.OrganizationId }),
            CreatedAt = time.GetUtcNow(),
        };
        if (!queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref dropped);
            droppedCounter.Add(1);
            LogDropped(logger, permission, userId);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["queued"] = queue.Reader.Count, ["written"] = Written, ["dropped"] = Dropped };
        return Task.FromResult(HealthCheckResult.Healthy($"permission-check audit: {queue.Reader.Count} queued, {Written} written, {Dropped} dropped", data));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking records and let the writer drain the queue; the host's shutdown timeout bounds the wait. From now
        // on a failing write is tried three times, not until the database answers.
        Volatile.Write(ref stopping, true);
        queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await base.StopAsync(cancellationToken);
        if (queue.Reader.Count > 0)
        {
            LogUnwritten(logger, queue.Reader.Count);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditLog>(options.BatchSize);
        // Reads until the queue is completed at shutdown, not until the stopping token fires: queued records are written.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < options.BatchSize && queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            await WriteWithRetryAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteWithRetryAsync(List<AuditLog> batch)
    {
        // Events are made once per batch; a retry stores the same rows (same ids) in a new transaction.
        List<OutboxMessage> events;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var (made, refused) = EventsOf(batch, scope.ServiceProvider.GetRequiredService<EventOutbox>());
            events = made;
            foreach (var (records, invalid) in refused)
            {
                // A record the event schema refuses is still an audit record: its row is stored, its copy is not sent.
                LogUnpublishable(logger, invalid, records.Count, string.Join(", ", records.Select(r => r.Id)));
            }
        }

        Exception? failure = null;
        try
        {
            await RetryPipeline(batch.Count).ExecuteAsync(async _ => await StoreAsync(batch, events), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = ex;
        }

        if (failure is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } && await StoredAsync(batch[0].Id))
        {
            // A commit whose answer was lost: the batch is in (it commits whole), so this retry had nothing to add.
            LogAlreadyStored(logger, batch.Count);
        }
        else if (failure is not null)
        {
            // Shutting down and the database still refuses: give up so the process can end; the records are counted.
            LogGaveUp(logger, failure, batch.Count);
            Interlocked.Add(ref dropped, batch.Count);
            droppedCounter.Add(batch.Count);
            return;
        }

        Interlocked.Add(ref written, batch.Count);
        writtenCounter.Add(batch.Count);
    }

    /// <summary>
    /// Retries a failed write for as long as the service runs (records are never dropped for a database outage), backing
    /// off from 200 ms to 10 s; once the service is stopping, three attempts in all. A unique violation is not retried:
    /// it means an earlier attempt committed (see <see cref="WriteWithRetryAsync"/>).
    /// </summary>
    private ResiliencePipeline RetryPipeline(int count) => new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } failure
                && failure is not OperationCanceledException and not PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                && !(Volatile.Read(ref stopping) && args.AttemptNumber >= 2)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
            OnRetry = args =>
            {
                LogWriteFailed(logger, args.Outcome.Exception, count, args.AttemptNumber + 1);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private async Task<bool> StoredAsync(Guid id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return await db.Set<AuditLog>().AnyAsync(a => a.Id == id);
    }

    /// <summary>
    /// The batch's events: one <see cref="AuditChecksRecorded"/> per organization and chunk of at most
    /// <see cref="RecordsPerEvent"/> records and about <see cref="MaxEventBytes"/> bytes, so a message stays far below
    /// NATS's 1 MiB payload limit whatever the records hold. A chunk the schema refuses is returned apart, with why.
    /// </summary>
    public static (List<OutboxMessage> Events, List<(IReadOnlyList<AuditLog> Records, EventValidationException Failure)> Refused) EventsOf(
        IEnumerable<AuditLog> batch, EventOutbox outbox)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outbox);
        var events = new List<OutboxMessage>();
        var refused = new List<(IReadOnlyList<AuditLog>, EventValidationException)>();
        foreach (var organization in batch.GroupBy(e => e.OrganizationId))
        {
            foreach (var records in Chunks(organization))
            {
                var batchId = Guid.CreateVersion7();
                try
                {
                    // Permission checks always name the caller's organization; a record without one fails the schema.
                    var data = new AuditChecksRecorded(batchId, organization.Key ?? Guid.Empty, [.. records.Select(AuditTrail.EventOf)]);
                    events.Add(outbox.Create(data, organization.Key, $"audit-checks/{batchId}").Message);
                }
                catch (EventValidationException ex)
                {
                    refused.Add((records, ex));
                }
            }
        }

        return (events, refused);
    }

    private static IEnumerable<List<AuditLog>> Chunks(IEnumerable<AuditLog> records)
    {
        var chunk = new List<AuditLog>();
        var bytes = 0;
        foreach (var record in records)
        {
            var size = WorstCaseBytes(record);
            if (chunk.Count > 0 && (chunk.Count == RecordsPerEvent || bytes + size > MaxEventBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(record);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>
    /// A bound on a record's JSON: field names, ids and the timestamp, plus its text at six bytes a character (the
    /// serializer's longest escape).
    /// </summary>
    private static int WorstCaseBytes(AuditLog record) => 600 + 6 * ((record.Resource?.Length ?? 0) + (record.IpAddress?.Length ?? 0)
        + (record.UserAgent?.Length ?? 0) + (record.RequestId?.Length ?? 0) + (record.Metadata?.RootElement.GetRawText().Length ?? 0));

    /// <summary>Audit rows and their events in one transaction, each table with one binary COPY.</summary>
    private async Task StoreAsync(List<AuditLog> batch, List<OutboxMessage> events)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var import = await connection.BeginBinaryImportAsync(
                "COPY audit_logs (id, organization_id, user_id, action, resource, resource_id, result, ip_address, user_agent, request_id, metadata, created_at) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var entry in batch)
                {
                    await import.StartRowAsync();
                    await import.WriteAsync(entry.Id, NpgsqlDbType.Uuid);
                    await OutboxBulkWriter.WriteNullableValueAsync(import, entry.OrganizationId, NpgsqlDbType.Uuid, CancellationToken.None);
                    await OutboxBulkWriter.WriteNullableValueAsync(import, entry.UserId, NpgsqlDbType.Uuid, CancellationToken.None);
                    await import.WriteAsync(entry.Action, NpgsqlDbType.Varchar);
                    await import.WriteAsync(entry.Resource, NpgsqlDbType.Varchar);
                    await OutboxBulkWriter.WriteNullableValueAsync(import, entry.ResourceId, NpgsqlDbType.Uuid, CancellationToken.None);
                    await import.WriteAsync(entry.Result, NpgsqlDbType.Varchar);
                    await OutboxBulkWriter.WriteNullableAsync(import, entry.IpAddress, NpgsqlDbType.Varchar, CancellationToken.None);
                    await OutboxBulkWriter.WriteNullableAsync(import, entry.UserAgent, NpgsqlDbType.Text, CancellationToken.None);
                    await OutboxBulkWriter.WriteNullableAsync(import, entry.RequestId, NpgsqlDbType.Varchar, CancellationToken.None);
                    await OutboxBulkWriter.WriteNullableAsync(import, entry.Metadata, NpgsqlDbType.Jsonb, CancellationToken.None);
                    await import.WriteAsync(entry.CreatedAt, NpgsqlDbType.TimestampTz);
                }

                await import.CompleteAsync();
            }

            await OutboxBulkWriter.CopyAsync(connection, events, CancellationToken.None);
            await transaction.CommitAsync();
        }

        scope.ServiceProvider.GetService<OutboxSignal>()?.Notify();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit queue full: permission-check record for {Permission} of user {UserId} dropped")]
    private static partial void LogDropped(ILogger logger, string permission, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} permission-check audit records failed (attempt {Attempt}); retrying")]
    private static partial void LogWriteFailed(ILogger logger, Exception? exception, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} permission-check audit records are stored without their event, which the event schema refuses: {Ids}")]
    private static partial void LogUnpublishable(ILogger logger, Exception exception, int count, string ids);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} permission-check audit records were already stored by an attempt whose commit was not acknowledged")]
    private static partial void LogAlreadyStored(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up writing {Count} permission-check audit records while stopping; they are counted as dropped")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} permission-check audit records were still queued when the service stopped")]
    private static partial void LogUnwritten(ILogger logger, int count);
}
