using Giia.Catalog.Common;

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
