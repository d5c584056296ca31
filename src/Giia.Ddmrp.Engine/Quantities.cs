namespace Giia.Ddmrp.Engine;

/// <summary>
/// Rounding of quantities to a product's unit precision (decimal places; 0 = whole units). Zones round half away
/// from zero, as the reference implementation rounds each zone component; order quantities round up, so an order
/// never falls short of the quantity it was meant to cover.
/// </summary>
public static class Quantities
{
    /// <summary>The largest unit precision accepted (decimal places).</summary>
    public const int MaxPrecision = 6;

    public static decimal Round(decimal value, int precision)
    {
        CheckPrecision(precision);
        return Math.Round(value, precision, MidpointRounding.AwayFromZero);
    }

    public static decimal RoundUp(decimal value, int precision)
    {
        CheckPrecision(precision);
        return Math.Round(value, precision, MidpointRounding.ToPositiveInfinity);
    }

    /// <summary>A share of a whole, in percent with two decimals (0 when the whole is 0).</summary>
    public static decimal Percent(decimal part, decimal whole) =>
        whole == 0m ? 0m : Math.Round(part / whole * 100m, 2, MidpointRounding.AwayFromZero);

    private static void CheckPrecision(int precision)
    {
        if (precision is < 0 or > MaxPrecision)
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, $"Unit precision must be 0 to {MaxPrecision} decimal places.");
        }
    }
}
