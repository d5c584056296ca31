using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Auth.Organizations;

/// <summary>A tenant: every user, role and audit record belongs to exactly one organization.</summary>
public sealed class Organization
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    /// <summary>URL-safe, unique name used in links and logs.</summary>
    public required string Slug { get; set; }

    public OrganizationStatus Status { get; set; } = OrganizationStatus.Active;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum OrganizationStatus
{
    Active,
    Suspended,
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.ToTable("organizations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasColumnName("id");
        builder.Property(o => o.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(o => o.Slug).HasColumnName("slug").HasMaxLength(100);
        builder.HasIndex(o => o.Slug).IsUnique();
        builder.Property(o => o.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.CreatedAt).HasColumnName("created_at");
        builder.Property(o => o.UpdatedAt).HasColumnName("updated_at");
    }
}
