namespace Giia.Catalog.BufferProfiles;

/// <summary>The bounds of a buffer profile's fields, shared by the rules, the columns and the contract.</summary>
public static class BufferProfileLimits
{
    public const decimal MaxSpikeThresholdPercent = 10_000m;
    public const int MaxSpikeHorizonDays = 3650;

    public const decimal MaxFactor = 100m;

    /// <summary>The factors' column, <c>numeric(9, 4)</c>.</summary>
    public const int FactorPrecision = 9;
    public const int FactorScale = 4;
}
