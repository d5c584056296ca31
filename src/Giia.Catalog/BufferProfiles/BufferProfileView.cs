namespace Giia.Catalog.BufferProfiles;

public sealed record BufferProfileView(Guid Id, string Name, string? Description, string AduMethod, decimal LeadTimeFactor,
    decimal VariabilityFactor, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string ETag,
    int AduHorizonDays, int AduForwardHorizonDays, decimal AduAlpha, decimal AduPastWeight, decimal AduForwardWeight,
    decimal SpikeThresholdPercent, int? SpikeHorizonDays);
