namespace Giia.Events.Contracts;

/// <summary>
/// Permission-check audit records of one organization, published together once stored: Auth makes thousands of checks
/// a second, and one event per check would cost a JetStream message (and an outbox row) per check. Each record holds
/// what an <see cref="AuditRecorded"/> holds; <c>audit_logs</c> keeps every record as its own row either way.
/// </summary>
[GiiaEvent("audit.checks_recorded", Ordered = false)]
public sealed record AuditChecksRecorded(Guid BatchId, Guid OrganizationId, IReadOnlyList<AuditRecorded> Records);
