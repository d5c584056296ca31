using System.Globalization;
using System.Security;
using System.Text;

using Giia.Ddmrp.Engine.NetFlow;

namespace Giia.Ddmrp.Engine.Charts;

/// <summary>
/// Draws buffers as a planner reads them, as self-contained SVG (no script, no external reference): the buffer as a
/// column of red, yellow and green with the net flow position and on-hand marks, and its history as the zones and the
/// net flow position over time. Only numbers and escaped text reach the markup.
/// </summary>
public static class BufferChart
{
    public const string Red = "#d9363e";
    public const string Yellow = "#f2c12e";
    public const string Green = "#3a9d5d";
    private const string NetFlowColour = "#1f3b73";
    private const string OnHandColour = "#6b6b6b";

    /// <summary>One calculation: the stacked zones with NFP and on hand marked against them.</summary>
    public static string Draw(BufferPicture buffer, string title)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        const double width = 420, height = 480, columnLeft = 150, columnRight = 250, top = 60, bottom = 440;
        var scale = new ChartScale([buffer.TopOfGreen, buffer.NetFlowPosition, buffer.OnHand], top, bottom);
        var svg = Start(width, height, title, $"{title}: {StatusText(buffer.PlanningStatus)}, net flow position {ChartScale.Quantity(buffer.NetFlowPosition)}");
        Text(svg, 16, 28, 16, $"{title}", "bold");
        Text(svg, 16, 48, 12, $"Planning status: {StatusText(buffer.PlanningStatus)}");
        Zone(svg, "red zone", Red, columnLeft, columnRight, scale.Y(buffer.TopOfRed), scale.Y(0));
        Zone(svg, "yellow zone", Yellow, columnLeft, columnRight, scale.Y(buffer.TopOfYellow), scale.Y(buffer.TopOfRed));
        Zone(svg, "green zone", Green, columnLeft, columnRight, scale.Y(buffer.TopOfGreen), scale.Y(buffer.TopOfYellow));
        Line(svg, columnLeft - 10, columnRight + 10, scale.Y(0), "#000000", "zero");
        foreach (var (label, value) in new[] { ("TOR", buffer.TopOfRed), ("TOY", buffer.TopOfYellow), ("TOG", buffer.TopOfGreen) })
        {
            Text(svg, 16, scale.Y(value) + 4, 12, $"{label} {ChartScale.Quantity(value)}");
        }

        Mark(svg, "net flow position", NetFlowColour, columnLeft - 20, columnRight + 20, scale.Y(buffer.NetFlowPosition),
            $"NFP {ChartScale.Quantity(buffer.NetFlowPosition)}", dashed: false, columnRight + 24);
        Mark(svg, "on hand", OnHandColour, columnLeft - 20, columnRight + 20, scale.Y(buffer.OnHand),
            $"On hand {ChartScale.Quantity(buffer.OnHand)}", dashed: true, columnRight + 24);
        return End(svg);
    }

    /// <summary>Calculations in time order: the zones as stepped bands and the NFP and on hand as lines through them.</summary>
    public static string DrawHistory(IReadOnlyList<BufferPicture> history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        const double width = 800, height = 420, left = 70, right = 780, top = 50, bottom = 370;
        var points = history.OrderBy(h => h.CalculatedAt).ToList();
        var svg = Start(width, height, title, $"{title}: {points.Count} calculations");
        Text(svg, 16, 28, 16, title, "bold");
        if (points.Count == 0)
        {
            Text(svg, left, (top + bottom) / 2, 14, "No calculations yet.");
            return End(svg);
        }

        var scale = new ChartScale(points.SelectMany(p => new[] { p.TopOfGreen, p.NetFlowPosition, p.OnHand }), top, bottom);
        // Each calculation holds until the next one: a step of equal width per calculation reads in order, whatever the gaps.
        var step = (right - left) / points.Count;
        double X(int i) => left + (i * step);
        Band(svg, "red zone", Red, points, X, step, _ => 0, p => p.TopOfRed, scale);
        Band(svg, "yellow zone", Yellow, points, X, step, p => p.TopOfRed, p => p.TopOfYellow, scale);
        Band(svg, "green zone", Green, points, X, step, p => p.TopOfYellow, p => p.TopOfGreen, scale);
        Line(svg, left, right, scale.Y(0), "#000000", "zero");
        Series(svg, "net flow position", NetFlowColour, points, X, step, p => p.NetFlowPosition, scale, dashed: false);
        Series(svg, "on hand", OnHandColour, points, X, step, p => p.OnHand, scale, dashed: true);
        Text(svg, left, bottom + 20, 11, points[0].CalculatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Text(svg, right - 150, bottom + 20, 11, points[^1].CalculatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Text(svg, left, bottom + 40, 12, $"Latest: TOG {ChartScale.Quantity(points[^1].TopOfGreen)}, NFP {ChartScale.Quantity(points[^1].NetFlowPosition)}, " +
            $"on hand {ChartScale.Quantity(points[^1].OnHand)} ({StatusText(points[^1].PlanningStatus)}). Solid line: NFP; dashed: on hand.");
        return End(svg);
    }

    public static string StatusText(BufferStatus status) => status switch
    {
        BufferStatus.BelowRed => "below red",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static StringBuilder Start(double width, double height, string title, string description)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" font-family=\"sans-serif\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Escape(title)}</title><desc>{Escape(description)}</desc>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void Zone(StringBuilder svg, string name, string colour, double left, double right, double yTop, double yBottom)
    {
        var height = Math.Max(0, yBottom - yTop);
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect data-series=\"{name}\" x=\"{N(left)}\" y=\"{N(yTop)}\" width=\"{N(right - left)}\" height=\"{N(height)}\" fill=\"{colour}\"/>");
    }

    private static void Mark(StringBuilder svg, string name, string colour, double left, double right, double y, string label, bool dashed,
        double labelX)
    {
        svg.Append(CultureInfo.InvariantCulture,
            $"<line data-series=\"{name}\" x1=\"{N(left)}\" y1=\"{N(y)}\" x2=\"{N(right)}\" y2=\"{N(y)}\" stroke=\"{colour}\" stroke-width=\"3\"{Dash(dashed)}/>");
        Text(svg, labelX, y + 4, 12, label);
    }

    private static void Line(StringBuilder svg, double left, double right, double y, string colour, string name) =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<line data-series=\"{name}\" x1=\"{N(left)}\" y1=\"{N(y)}\" x2=\"{N(right)}\" y2=\"{N(y)}\" stroke=\"{colour}\" stroke-width=\"1\"/>");

    private static void Band(StringBuilder svg, string name, string colour, List<BufferPicture> points, Func<int, double> x, double step,
        Func<BufferPicture, decimal> lower, Func<BufferPicture, decimal> upper, ChartScale scale)
    {
        var upperEdge = new List<string>();
        var lowerEdge = new List<string>();
        for (var i = 0; i < points.Count; i++)
        {
            upperEdge.Add($"{N(x(i))},{N(scale.Y(upper(points[i])))}");
            upperEdge.Add($"{N(x(i) + step)},{N(scale.Y(upper(points[i])))}");
            lowerEdge.Add($"{N(x(i))},{N(scale.Y(lower(points[i])))}");
            lowerEdge.Add($"{N(x(i) + step)},{N(scale.Y(lower(points[i])))}");
        }

        lowerEdge.Reverse();
        svg.Append(CultureInfo.InvariantCulture,
            $"<polygon data-series=\"{name}\" points=\"{string.Join(' ', upperEdge.Concat(lowerEdge))}\" fill=\"{colour}\" fill-opacity=\"0.85\"/>");
    }

    private static void Series(StringBuilder svg, string name, string colour, List<BufferPicture> points, Func<int, double> x, double step,
        Func<BufferPicture, decimal> value, ChartScale scale, bool dashed)
    {
        var line = points.Select((p, i) => $"{N(x(i) + (step / 2))},{N(scale.Y(value(p)))}");
        svg.Append(CultureInfo.InvariantCulture,
            $"<polyline data-series=\"{name}\" points=\"{string.Join(' ', line)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"{Dash(dashed)}/>");
    }

    private static void Text(StringBuilder svg, double x, double y, int size, string text, string weight = "normal") =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"#222222\">{Escape(text)}</text>");

    private static string Dash(bool dashed) => dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;

    private static string N(double value) => ChartScale.Number(value);

    /// <summary>XML-escapes text and drops characters XML cannot carry, so no input can break out of a text node.</summary>
    private static string Escape(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) // a lone surrogate comes out as U+FFFD
        {
            if (rune.Value is '\t' or '\n' or '\r' || (rune.Value >= ' ' && rune.Value is not (0xFFFE or 0xFFFF)))
            {
                clean.Append(rune.ToString());
            }
        }

        return SecurityElement.Escape(clean.ToString()) ?? string.Empty;
    }
}
