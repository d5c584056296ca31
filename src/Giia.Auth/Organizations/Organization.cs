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

    /// <summary>Organization-level preferences (JSON object).</summary>
    public System.Text.Json.JsonDocument? Settings { get; set; }

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
        builder.Property(o => o.Settings).HasColumnName("settings").HasColumnType("jsonb");
        builder.Property(o => o.CreatedAt).HasColumnName("created_at");
        builder.Property(o => o.UpdatedAt).HasColumnName("updated_at");
    }
}

internal static class Slugs
{
    /// <summary>A URL-safe slug from a name, with a random suffix so two organizations may share a name.</summary>
    public static string From(string name)
    {
        var chars = name.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var basis = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        basis = basis.Length == 0 ? "org" : basis[..Math.Min(basis.Length, 80)];
        return $"{basis}-{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)).ToLowerInvariant()}";
    }
}
