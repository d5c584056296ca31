using Giia.Catalog.BufferProfiles;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.Data.Configurations;

internal sealed class BufferProfileConfiguration : IEntityTypeConfiguration<BufferProfile>
{
    public void Configure(EntityTypeBuilder<BufferProfile> builder)
    {
        builder.ToTable("buffer_profiles", t =>
        {
            t.HasCheckConstraint("ck_buffer_profiles_lead_time_factor", "lead_time_factor > 0");
            t.HasCheckConstraint("ck_buffer_profiles_variability_factor", "variability_factor > 0");
            t.HasCheckConstraint("ck_buffer_profiles_adu_horizons", "adu_horizon_days BETWEEN 1 AND 730 AND adu_forward_horizon_days BETWEEN 1 AND 730");
            t.HasCheckConstraint("ck_buffer_profiles_adu_alpha", "adu_alpha > 0 AND adu_alpha <= 1");
            t.HasCheckConstraint("ck_buffer_profiles_adu_weights", "adu_past_weight BETWEEN 0 AND 1 AND adu_forward_weight BETWEEN 0 AND 1");
            t.HasCheckConstraint("ck_buffer_profiles_spike", "spike_threshold_percent >= 0 AND (spike_horizon_days IS NULL OR spike_horizon_days >= 0)");
        });
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).HasColumnName("id");
        builder.Property(b => b.OrganizationId).HasColumnName("organization_id");
        builder.Property(b => b.Name).HasColumnName("name").HasMaxLength(100);
        builder.Property(b => b.Description).HasColumnName("description").HasMaxLength(2000);
        builder.Property(b => b.AduMethod).HasColumnName("adu_method").HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.LeadTimeFactor).HasColumnName("lead_time_factor").HasPrecision(BufferProfileLimits.FactorPrecision, BufferProfileLimits.FactorScale);
        builder.Property(b => b.VariabilityFactor).HasColumnName("variability_factor").HasPrecision(BufferProfileLimits.FactorPrecision, BufferProfileLimits.FactorScale);
        builder.Property(b => b.AduHorizonDays).HasColumnName("adu_horizon_days").HasDefaultValue(90);
        builder.Property(b => b.AduForwardHorizonDays).HasColumnName("adu_forward_horizon_days").HasDefaultValue(90);
        builder.Property(b => b.AduAlpha).HasColumnName("adu_alpha").HasPrecision(5, 4).HasDefaultValue(0.3m);
        builder.Property(b => b.AduPastWeight).HasColumnName("adu_past_weight").HasPrecision(5, 4).HasDefaultValue(0.5m);
        builder.Property(b => b.AduForwardWeight).HasColumnName("adu_forward_weight").HasPrecision(5, 4).HasDefaultValue(0.5m);
        builder.Property(b => b.SpikeThresholdPercent).HasColumnName("spike_threshold_percent").HasPrecision(7, 2).HasDefaultValue(50m);
        builder.Property(b => b.SpikeHorizonDays).HasColumnName("spike_horizon_days");
        builder.Property(b => b.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.CreatedAt).HasColumnName("created_at");
        builder.Property(b => b.UpdatedAt).HasColumnName("updated_at");
        builder.Property(b => b.Version).IsRowVersion();
        builder.HasIndex(b => new { b.OrganizationId, b.Name }).IsUnique();
    }
}
