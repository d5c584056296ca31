using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Auth.Audit;

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
