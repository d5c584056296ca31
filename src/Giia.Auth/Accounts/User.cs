using Giia.Auth.Organizations;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Auth.Accounts;

/// <summary>A person who signs in to GIIA; belongs to exactly one organization.</summary>
public sealed class User
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public Organization? Organization { get; set; }

    /// <summary>Stored trimmed and lower-cased; unique across GIIA.</summary>
    public required string Email { get; set; }

    public required string Name { get; set; }

    /// <summary>PHC-format Argon2id hash; null for an invited user who has not chosen a password yet.</summary>
    public string? PasswordHash { get; set; }

    public UserStatus Status { get; set; } = UserStatus.Pending;

    public DateTimeOffset? EmailVerifiedAt { get; set; }

    public DateTimeOffset? LastLoginAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint Version { get; set; }

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}

public enum UserStatus
{
    Pending,
    Active,
    Inactive,
    Suspended,
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasColumnName("id");
        builder.Property(u => u.OrganizationId).HasColumnName("organization_id");
        builder.HasOne(u => u.Organization).WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(u => u.Email).HasColumnName("email").HasMaxLength(254);
        builder.HasIndex(u => u.Email).IsUnique();
        builder.Property(u => u.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(u => u.PasswordHash).HasColumnName("password_hash").HasMaxLength(300);
        builder.Property(u => u.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.EmailVerifiedAt).HasColumnName("email_verified_at");
        builder.Property(u => u.LastLoginAt).HasColumnName("last_login_at");
        builder.Property(u => u.CreatedAt).HasColumnName("created_at");
        builder.Property(u => u.UpdatedAt).HasColumnName("updated_at");
        builder.Property(u => u.Version).IsRowVersion();
        builder.HasIndex(u => new { u.OrganizationId, u.CreatedAt });
    }
}
