using Giia.Auth.Accounts;
using Giia.Auth.Organizations;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Auth.Rbac;

/// <summary>A <c>resource:action</c> right, e.g. <c>catalog:write</c>.</summary>
public sealed class Permission
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Description { get; set; }

    public required string Resource { get; set; }

    public required string Action { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A set of permissions: a system role (no organization, read-only) or an organization's custom role.</summary>
public sealed class Role
{
    public Guid Id { get; set; }

    public Guid? OrganizationId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>1 (Admin) to 4 (Viewer) for system roles; custom roles carry the level they were given.</summary>
    public int Level { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<RolePermission> Permissions { get; set; } = [];

    public bool IsSystem => OrganizationId is null;
}

public sealed class RolePermission
{
    public Guid RoleId { get; set; }

    public Guid PermissionId { get; set; }

    public Permission? Permission { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A role given to a user, in the user's organization, by someone, at some time.</summary>
public sealed class UserRole
{
    public Guid UserId { get; set; }

    public Guid RoleId { get; set; }

    public Role? Role { get; set; }

    public Guid OrganizationId { get; set; }

    public Guid? AssignedBy { get; set; }

    public DateTimeOffset AssignedAt { get; set; }
}

internal sealed class RbacConfiguration :
    IEntityTypeConfiguration<Permission>, IEntityTypeConfiguration<Role>, IEntityTypeConfiguration<RolePermission>, IEntityTypeConfiguration<UserRole>
{
    public void Configure(EntityTypeBuilder<Permission> builder)
    {
        builder.ToTable("permissions");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id");
        builder.Property(p => p.Name).HasColumnName("name").HasMaxLength(100);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Description).HasColumnName("description").HasMaxLength(300);
        builder.Property(p => p.Resource).HasColumnName("resource").HasMaxLength(50);
        builder.Property(p => p.Action).HasColumnName("action").HasMaxLength(50);
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
    }

    public void Configure(EntityTypeBuilder<Role> builder)
    {
        // Level 1 is the system Admin role's alone (the last-Admin rule counts that role): no custom role reaches it.
        builder.ToTable("roles", table => table.HasCheckConstraint("ck_roles_custom_level", $"organization_id IS NULL OR level BETWEEN {Privileges.MinCustomRoleLevel} AND {Privileges.MaxCustomRoleLevel}"));
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id");
        builder.Property(r => r.OrganizationId).HasColumnName("organization_id");
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(100);
        builder.Property(r => r.Description).HasColumnName("description").HasMaxLength(300);
        builder.Property(r => r.Level).HasColumnName("level");
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at");
        builder.Ignore(r => r.IsSystem);
        // A name is unique in its scope: among system roles, and within each organization.
        builder.HasIndex(r => r.Name).IsUnique().HasFilter("organization_id IS NULL").HasDatabaseName("ux_roles_system_name");
        builder.HasIndex(r => new { r.OrganizationId, r.Name }).IsUnique().HasFilter("organization_id IS NOT NULL")
            .HasDatabaseName("ux_roles_organization_name");
        builder.HasMany(r => r.Permissions).WithOne().HasForeignKey(rp => rp.RoleId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RolePermission> builder)
    {
        builder.ToTable("role_permissions");
        builder.HasKey(rp => new { rp.RoleId, rp.PermissionId });
        builder.Property(rp => rp.RoleId).HasColumnName("role_id");
        builder.Property(rp => rp.PermissionId).HasColumnName("permission_id");
        builder.HasOne(rp => rp.Permission).WithMany().HasForeignKey(rp => rp.PermissionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(rp => rp.CreatedAt).HasColumnName("created_at");
    }

    public void Configure(EntityTypeBuilder<UserRole> builder)
    {
        builder.ToTable("user_roles");
        builder.HasKey(ur => new { ur.UserId, ur.RoleId });
        builder.Property(ur => ur.UserId).HasColumnName("user_id");
        builder.HasOne<User>().WithMany().HasForeignKey(ur => ur.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(ur => ur.RoleId).HasColumnName("role_id");
        builder.HasOne(ur => ur.Role).WithMany().HasForeignKey(ur => ur.RoleId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(ur => ur.OrganizationId).HasColumnName("organization_id");
        builder.Property(ur => ur.AssignedBy).HasColumnName("assigned_by");
        builder.Property(ur => ur.AssignedAt).HasColumnName("assigned_at");
        builder.HasIndex(ur => new { ur.OrganizationId, ur.UserId });
    }
}
