using Giia.Catalog.Api;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.BufferProfiles;

/// <summary>
/// How DDMRP sizes the buffers of the products that use it: the average daily usage (ADU) method, the lead-time
/// factor (green and yellow zones) and the variability factor (red safety). The name is unique within the organization.
/// </summary>
public sealed class BufferProfile : ICatalogEntity
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public AduMethod AduMethod { get; set; } = AduMethod.Average;

    public decimal LeadTimeFactor { get; set; }

    public decimal VariabilityFactor { get; set; }

    public BufferProfileStatus Status { get; set; } = BufferProfileStatus.Active;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint Version { get; set; }
}

public enum AduMethod
{
    Average,
    Exponential,
    Weighted,
}

public enum BufferProfileStatus
{
    Active,
    Inactive,
}

internal sealed class BufferProfileConfiguration : IEntityTypeConfiguration<BufferProfile>
{
    public void Configure(EntityTypeBuilder<BufferProfile> builder)
    {
        builder.ToTable("buffer_profiles", t =>
        {
            t.HasCheckConstraint("ck_buffer_profiles_lead_time_factor", "lead_time_factor > 0");
            t.HasCheckConstraint("ck_buffer_profiles_variability_factor", "variability_factor > 0");
        });
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).HasColumnName("id");
        builder.Property(b => b.OrganizationId).HasColumnName("organization_id");
        builder.Property(b => b.Name).HasColumnName("name").HasMaxLength(100);
        builder.Property(b => b.Description).HasColumnName("description").HasMaxLength(2000);
        builder.Property(b => b.AduMethod).HasColumnName("adu_method").HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.LeadTimeFactor).HasColumnName("lead_time_factor").HasPrecision(BufferProfileEndpoints.FactorPrecision, BufferProfileEndpoints.FactorScale);
        builder.Property(b => b.VariabilityFactor).HasColumnName("variability_factor").HasPrecision(BufferProfileEndpoints.FactorPrecision, BufferProfileEndpoints.FactorScale);
        builder.Property(b => b.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.CreatedAt).HasColumnName("created_at");
        builder.Property(b => b.UpdatedAt).HasColumnName("updated_at");
        builder.Property(b => b.Version).IsRowVersion();
        builder.HasIndex(b => new { b.OrganizationId, b.Name }).IsUnique();
    }
}
