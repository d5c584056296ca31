using System.Globalization;

namespace Giia.Ddmrp.Engine.Charts;

/// <summary>
/// Maps quantities onto a vertical pixel range: from the lowest value shown (never above 0) to the highest (never
/// below the top of green), with a margin so that a mark at either end stays visible.
/// </summary>
internal sealed class ChartScale
{
    private readonly double low;
    private readonly double high;
    private readonly double top;
    private readonly double bottom;

    public ChartScale(IEnumerable<decimal> values, double top, double bottom)
    {
        var all = values.Select(v => (double)v).Append(0).ToList();
        var min = all.Min();
        var max = all.Max();
        var span = max - min;
        if (span <= 0)
        {
            span = 1; // an empty buffer: draw it flat rather than divide by zero
        }

        low = min - (min < 0 ? span * 0.05 : 0);
        high = max + (span * 0.05);
        this.top = top;
        this.bottom = bottom;
    }

    /// <summary>The y pixel of a quantity (SVG's y grows downwards).</summary>
    public double Y(decimal value) => bottom - (((double)value - low) / (high - low) * (bottom - top));

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Quantity(decimal value) => value.ToString("#,0.####", CultureInfo.InvariantCulture);
}
