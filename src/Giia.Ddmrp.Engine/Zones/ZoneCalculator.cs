namespace Giia.Ddmrp.Engine.Zones;

/// <summary>
/// Red base = ADU·DLT·LTF; red safety = red base·VF; yellow = ADU·DLT;
/// green = max(ADU·order cycle, ADU·DLT·LTF, MOQ). Each part is rounded half away from zero to the unit precision.
/// </summary>
public static class ZoneCalculator
{
    public static BufferZones Calculate(ZoneParameters p)
    {
        if (p.Adu < 0m || p.DltDays < 0 || p.LeadTimeFactor < 0m || p.VariabilityFactor < 0m || p.OrderCycleDays < 0 || p.MinimumOrderQuantity < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(p), "Zone parameters cannot be negative.");
        }

        var redBase = Quantities.Round(p.Adu * p.DltDays * p.LeadTimeFactor, p.Precision);
        var redSafety = Quantities.Round(redBase * p.VariabilityFactor, p.Precision);
        var yellow = Quantities.Round(p.Adu * p.DltDays, p.Precision);
        var greenOrderCycle = Quantities.Round(p.Adu * p.OrderCycleDays, p.Precision);
        var greenLeadTime = redBase;
        var greenMinimumOrder = Quantities.Round(p.MinimumOrderQuantity, p.Precision);
        var green = Math.Max(greenOrderCycle, Math.Max(greenLeadTime, greenMinimumOrder));
        return new BufferZones(redBase, redSafety, yellow, greenOrderCycle, greenLeadTime, greenMinimumOrder, green);
    }
}
