using System.Text.Json;

namespace Giia.Auth.Audit;

/// <summary>An audit record (the spec's <c>audit_logs</c>): never updated or deleted by the application.</summary>
public sealed class AuditLog
{
    public Guid Id { get; set; }

    public Guid? OrganizationId { get; set; }

    public Guid? UserId { get; set; }

    public required string Action { get; set; }

    public required string Resource { get; set; }

    public Guid? ResourceId { get; set; }

    public required string Result { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    public string? RequestId { get; set; }

    public JsonDocument? Metadata { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
