using System.Text.Json;

using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Audit;

/// <summary>
/// Adds audit records to a DbContext, so they commit (or not) with the change they describe, each with its
/// <c>audit.recorded</c> event in the same transaction (through the outbox).
/// </summary>
public sealed class AuditTrail(IHttpContextAccessor http, TimeProvider time, EventOutbox outbox)
{
    public AuditLog Record(DbContext db, string action, string result, Guid? organizationId, Guid? userId,
        string resource = "user", Guid? resourceId = null, object? metadata = null, RequestMetadata? request = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var from = request ?? RequestMetadata.From(http.HttpContext);
        var entry = new AuditLog
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            UserId = userId,
            Action = action,
            Resource = resource,
            ResourceId = resourceId,
            Result = result,
            IpAddress = from.IpAddress,
            UserAgent = from.UserAgent,
            RequestId = from.RequestId,
            Metadata = metadata is null ? null : JsonSerializer.SerializeToDocument(metadata),
            CreatedAt = time.GetUtcNow(),
        };
        Add(db, entry);
        return entry;
    }

    public void Add(DbContext db, AuditLog entry)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entry);
        db.Set<AuditLog>().Add(entry);
        outbox.Enqueue(db, EventOf(entry), entry.OrganizationId, SubjectOf(entry));
    }

    public static AuditRecorded EventOf(AuditLog entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new AuditRecorded(entry.Id, entry.OrganizationId, entry.UserId, entry.Action, entry.Resource, entry.ResourceId,
            entry.Result, entry.IpAddress, entry.UserAgent, entry.RequestId, entry.Metadata?.RootElement, entry.CreatedAt);
    }

    public static string SubjectOf(AuditLog entry) => $"audit/{entry?.Id}";
}
