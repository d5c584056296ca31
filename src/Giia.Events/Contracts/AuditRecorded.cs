namespace Giia.Events.Contracts;

/// <summary>
/// An audit record, published for downstream systems (SIEM, analytics) once it is stored: user actions one event each,
/// permission checks in batches (<see cref="AuditChecksRecorded"/>). <c>Metadata</c> is the record's free-form details.
/// </summary>
[GiiaEvent("audit.recorded", Ordered = false)]
public sealed record AuditRecorded(Guid AuditId, Guid? OrganizationId, Guid? UserId, string Action, string Resource, Guid? ResourceId,
    string Result, string? IpAddress, string? UserAgent, string? RequestId, System.Text.Json.JsonElement? Metadata, DateTimeOffset RecordedAt);
