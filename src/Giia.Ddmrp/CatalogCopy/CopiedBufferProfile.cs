using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Ddmrp.CatalogCopy;

/// <summary>A buffer profile's parameters, as Catalog's events last said (see <see cref="CopiedProduct"/>).</summary>
public sealed class CopiedBufferProfile
{
    public Guid OrganizationId { get; set; }

    public Guid BufferProfileId { get; set; }

    public required string Name { get; set; }

    public required string AduMethod { get; set; }

    public decimal LeadTimeFactor { get; set; }

    public decimal VariabilityFactor { get; set; }

    public int AduHorizonDays { get; set; }

    public int AduForwardHorizonDays { get; set; }

    public decimal AduAlpha { get; set; }

    public decimal AduPastWeight { get; set; }

    public decimal AduForwardWeight { get; set; }

    public decimal SpikeThresholdPercent { get; set; }

    public int? SpikeHorizonDays { get; set; }

    /// <summary>Whether the ADU and spike parameters came from Catalog (see <see cref="CopiedProduct.TermsKnown"/>).</summary>
    public bool ParametersKnown { get; set; }

    public DateTimeOffset Version { get; set; }
}

internal sealed class CopiedBufferProfileConfiguration : IEntityTypeConfiguration<CopiedBufferProfile>
{
    public void Configure(EntityTypeBuilder<CopiedBufferProfile> builder)
    {
        builder.ToTable("catalog_buffer_profiles");
        builder.HasKey(b => new { b.OrganizationId, b.BufferProfileId });
        builder.Property(b => b.OrganizationId).HasColumnName("organization_id");
        builder.Property(b => b.BufferProfileId).HasColumnName("buffer_profile_id");
        builder.Property(b => b.Name).HasColumnName("name").HasMaxLength(100);
        builder.Property(b => b.AduMethod).HasColumnName("adu_method").HasMaxLength(20);
        builder.Property(b => b.LeadTimeFactor).HasColumnName("lead_time_factor").HasPrecision(18, 4);
        builder.Property(b => b.VariabilityFactor).HasColumnName("variability_factor").HasPrecision(18, 4);
        builder.Property(b => b.AduHorizonDays).HasColumnName("adu_horizon_days");
        builder.Property(b => b.AduForwardHorizonDays).HasColumnName("adu_forward_horizon_days");
        builder.Property(b => b.AduAlpha).HasColumnName("adu_alpha").HasPrecision(18, 4);
        builder.Property(b => b.AduPastWeight).HasColumnName("adu_past_weight").HasPrecision(18, 4);
        builder.Property(b => b.AduForwardWeight).HasColumnName("adu_forward_weight").HasPrecision(18, 4);
        builder.Property(b => b.SpikeThresholdPercent).HasColumnName("spike_threshold_percent").HasPrecision(18, 2);
        builder.Property(b => b.SpikeHorizonDays).HasColumnName("spike_horizon_days");
        builder.Property(b => b.ParametersKnown).HasColumnName("parameters_known");
        builder.Property(b => b.Version).HasColumnName("version");
    }
}
