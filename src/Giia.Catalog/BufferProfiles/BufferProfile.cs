using Giia.Catalog.Api;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.BufferProfiles;

/// <summary>
/// How DDMRP sizes the buffers of the products that use it: the average daily usage (ADU) method and its parameters,
/// the lead-time factor (red base and green zone), the variability factor (red safety) and what counts as an order
/// spike. The name is unique within the organization.
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

    /// <summary>Days of past usage the average, exponential, weighted and blended methods read.</summary>
    public int AduHorizonDays { get; set; } = 90;

    /// <summary>Days of forecast the forward and blended methods read.</summary>
    public int AduForwardHorizonDays { get; set; } = 90;

    /// <summary>Smoothing factor of the exponential method, in (0, 1].</summary>
    public decimal AduAlpha { get; set; } = 0.3m;

    /// <summary>Weights of the blended method; they sum to 1.</summary>
    public decimal AduPastWeight { get; set; } = 0.5m;

    public decimal AduForwardWeight { get; set; } = 0.5m;

    /// <summary>A future day's demand is an order spike at or above this percentage of the red zone.</summary>
    public decimal SpikeThresholdPercent { get; set; } = 50m;

    /// <summary>Days ahead in which spikes count as qualified demand; null means the buffer's decoupled lead time.</summary>
    public int? SpikeHorizonDays { get; set; }

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
    Forward,
    Blended,
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
        builder.Property(b => b.LeadTimeFactor).HasColumnName("lead_time_factor").HasPrecision(BufferProfileEndpoints.FactorPrecision, BufferProfileEndpoints.FactorScale);
        builder.Property(b => b.VariabilityFactor).HasColumnName("variability_factor").HasPrecision(BufferProfileEndpoints.FactorPrecision, BufferProfileEndpoints.FactorScale);
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
