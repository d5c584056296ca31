namespace Giia.Ddmrp.Engine.Zones;

/// <summary>What sizes a buffer: ADU, DLT, the profile's factors, the order cycle, the MOQ and the unit precision.</summary>
public sealed record ZoneParameters(
    decimal Adu,
    int DltDays,
    decimal LeadTimeFactor,
    decimal VariabilityFactor,
    int OrderCycleDays = 0,
    decimal MinimumOrderQuantity = 0m,
    int Precision = 0);
