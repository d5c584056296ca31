using System.Diagnostics;
using System.Text.Json;

using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

public static class AuditActions
{
    public const string Login = "user.login";
    public const string Logout = "user.logout";
    public const string Register = "user.register";
    public const string Verify = "user.verify";
    public const string RefreshReuse = "token.refresh_reuse";
    public const string PasswordChange = "user.password_change";
    public const string PasswordReset = "user.password_reset";
    public const string UserCreate = "user.create";
    public const string UserUpdate = "user.update";
    public const string UserActivate = "user.activate";
    public const string UserDeactivate = "user.deactivate";
    public const string SessionRevoke = "session.revoke";
    public const string RoleAssign = "role.assign";
    public const string RoleRevoke = "role.revoke";
    public const string RoleCreate = "role.create";
    public const string RoleUpdate = "role.update";
    public const string RoleDelete = "role.delete";
    public const string PermissionCheck = "permission.check";
}

public static class AuditResults
{
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Allowed = "allowed";
    public const string Denied = "denied";
}

/// <summary>Who is calling and from where, read from HTTP headers or gRPC metadata.</summary>
public sealed record RequestMetadata(string? IpAddress, string? UserAgent, string? RequestId)
{
    public static RequestMetadata From(HttpContext? context)
    {
        if (context is null)
        {
            return new RequestMetadata(null, null, Activity.Current?.TraceId.ToString());
        }

        var headers = context.Request.Headers;
        var requestId = headers["x-request-id"].FirstOrDefault() ?? Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        // The client address as the forwarded-headers middleware resolved it from trusted proxies; a raw
        // X-Forwarded-For header is the client's own word and would let it dodge lockouts.
        var ip = context.Connection.RemoteIpAddress?.ToString();
        return new RequestMetadata(Cut(ip, 45), Cut(headers.UserAgent.FirstOrDefault(), 500), Cut(requestId, 100));
    }

    private static string? Cut(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}

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

internal sealed class AuditLogConfiguration : IEntityTypeConfiguration<AuditLog>
{
    public void Configure(EntityTypeBuilder<AuditLog> builder)
    {
        builder.ToTable("audit_logs");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id");
        builder.Property(a => a.OrganizationId).HasColumnName("organization_id");
        builder.Property(a => a.UserId).HasColumnName("user_id");
        builder.Property(a => a.Action).HasColumnName("action").HasMaxLength(100);
        builder.Property(a => a.Resource).HasColumnName("resource").HasMaxLength(200);
        builder.Property(a => a.ResourceId).HasColumnName("resource_id");
        builder.Property(a => a.Result).HasColumnName("result").HasMaxLength(50);
        builder.Property(a => a.IpAddress).HasColumnName("ip_address").HasMaxLength(45);
        builder.Property(a => a.UserAgent).HasColumnName("user_agent");
        builder.Property(a => a.RequestId).HasColumnName("request_id").HasMaxLength(100);
        builder.Property(a => a.Metadata).HasColumnName("metadata").HasColumnType("jsonb");
        builder.Property(a => a.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(a => new { a.OrganizationId, a.UserId }).HasDatabaseName("idx_audit_logs_org_user");
        builder.HasIndex(a => a.Action).HasDatabaseName("idx_audit_logs_action");
        builder.HasIndex(a => a.CreatedAt).IsDescending().HasDatabaseName("idx_audit_logs_created_at");
        builder.HasIndex(a => a.RequestId).HasFilter("request_id IS NOT NULL").HasDatabaseName("idx_audit_logs_request_id");
    }
}
