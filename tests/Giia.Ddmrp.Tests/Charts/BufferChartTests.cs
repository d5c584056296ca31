using System.Globalization;
using System.Xml.Linq;

using CsCheck;

using Giia.Ddmrp.Engine.Charts;
using Giia.Ddmrp.Engine.NetFlow;

namespace Giia.Ddmrp.Tests.Charts;

public sealed class BufferChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_buffer_is_a_column_of_red_yellow_and_green_stacked_from_zero_with_the_marks_at_their_heights()
    {
        var chart = Parse(BufferChart.Draw(new BufferPicture(Monday, 100, 250, 400, 180, 120, BufferStatus.Yellow), "BOLT-0001"));

        var red = Rect(chart, "red zone");
        var yellow = Rect(chart, "yellow zone");
        var green = Rect(chart, "green zone");
        var zero = LineY(chart, "zero");
        Assert.Equal(BufferChart.Red, red.Attribute("fill")!.Value);
        Assert.Equal(zero, Bottom(red), 2);
        Assert.Equal(red.Y(), Bottom(yellow), 2);
        Assert.Equal(yellow.Y(), Bottom(green), 2);
        // Heights in proportion to the zones: red 100, yellow 150, green 150.
        Assert.Equal(1.5, yellow.Height() / red.Height(), 3);
        Assert.Equal(yellow.Height(), green.Height(), 2);
        // NFP 180 lies in yellow; on hand 120 in yellow, below NFP (greater y).
        var nfp = LineY(chart, "net flow position");
        var onHand = LineY(chart, "on hand");
        Assert.InRange(nfp, yellow.Y(), Bottom(yellow));
        Assert.InRange(onHand, nfp, Bottom(yellow));
        Assert.Contains(chart.Descendants(Svg + "text"), t => t.Value == "NFP 180");
        Assert.Contains("yellow", chart.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_net_flow_position_is_drawn_below_zero_and_one_above_green_above_the_column()
    {
        var below = Parse(BufferChart.Draw(new BufferPicture(Monday, 100, 250, 400, -60, 0, BufferStatus.BelowRed), "X"));
        Assert.True(LineY(below, "net flow position") > LineY(below, "zero"));
        Assert.Contains("below red", below.Element(Svg + "desc")!.Value, StringComparison.Ordinal);

        var above = Parse(BufferChart.Draw(new BufferPicture(Monday, 100, 250, 400, 900, 500, BufferStatus.Green), "X"));
        Assert.True(LineY(above, "net flow position") < Rect(above, "green zone").Y());
        Assert.True(LineY(above, "net flow position") > 0, "the mark stays inside the picture");
    }

    [Fact]
    public void Text_cannot_break_out_of_the_markup()
    {
        var title = "<script>alert(1)</script>\0 & \"quoted\" \uD800 é";
        var chart = Parse(BufferChart.Draw(new BufferPicture(Monday, 1, 2, 3, 1, 1, BufferStatus.Red), title));

        Assert.Empty(chart.Descendants(Svg + "script"));
        Assert.DoesNotContain(chart.Descendants(), e => e.Name.Namespace != Svg);
        Assert.Equal("<script>alert(1)</script> & \"quoted\" \uFFFD é", chart.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void The_history_draws_three_stepped_bands_and_two_lines_in_time_order()
    {
        var history = new[]
        {
            new BufferPicture(Monday.AddDays(2), 120, 300, 480, 90, 60, BufferStatus.Red),
            new BufferPicture(Monday, 100, 250, 400, 300, 200, BufferStatus.Yellow),
            new BufferPicture(Monday.AddDays(1), 110, 280, 440, 200, 150, BufferStatus.Yellow),
        };

        var chart = Parse(BufferChart.DrawHistory(history, "BOLT-0001 history"));

        foreach (var band in new[] { "red zone", "yellow zone", "green zone" })
        {
            Assert.Equal(4 * history.Length, Points(Series(chart, "polygon", band)).Count);
        }

        var nfp = Points(Series(chart, "polyline", "net flow position"));
        Assert.Equal(3, nfp.Count);
        Assert.True(nfp[0].X < nfp[1].X && nfp[1].X < nfp[2].X);
        // Oldest first: NFP 300, then 200, then 90, so the line falls (y grows).
        Assert.True(nfp[0].Y < nfp[1].Y && nfp[1].Y < nfp[2].Y);
        Assert.NotNull(Series(chart, "polyline", "on hand").Attribute("stroke-dasharray"));
    }

    [Fact]
    public void An_empty_history_says_so()
    {
        var chart = Parse(BufferChart.DrawHistory([], "Nothing yet"));
        Assert.Empty(chart.Descendants(Svg + "polygon"));
        Assert.Contains(chart.Descendants(Svg + "text"), t => t.Value == "No calculations yet.");
    }

    [Fact]
    public void Any_buffer_draws_as_well_formed_svg_with_finite_coordinates_inside_the_picture()
    {
        var quantity = Gen.Decimal[-1_000_000m, 10_000_000m].Select(d => Math.Round(d, 4));
        var zones = Gen.Decimal[0m, 10_000_000m].Select(d => Math.Round(d, 4)).Array[3].Select(a => a.Order().ToArray());
        Gen.Select(zones, quantity, quantity, Gen.Enum<BufferStatus>()).Sample((tops, nfp, onHand, status) =>
        {
            var picture = new BufferPicture(Monday, tops[0], tops[1], tops[2], nfp, onHand, status);
            foreach (var svg in new[] { BufferChart.Draw(picture, "P"), BufferChart.DrawHistory([picture, picture with { CalculatedAt = Monday.AddDays(1) }], "P") })
            {
                var root = Parse(svg);
                var height = double.Parse(root.Attribute("height")!.Value, CultureInfo.InvariantCulture);
                foreach (var y in root.Descendants().SelectMany(e => e.Attributes()).Where(a => a.Name.LocalName is "y" or "y1" or "y2"))
                {
                    var value = double.Parse(y.Value, CultureInfo.InvariantCulture);
                    Assert.True(double.IsFinite(value) && value >= 0 && value <= height, $"{y.Name}={y.Value} in {svg}");
                }
            }
        });
    }

    private static XElement Parse(string svg)
    {
        var root = XElement.Parse(svg);
        Assert.Equal(Svg + "svg", root.Name);
        return root;
    }

    private static XElement Series(XElement chart, string element, string name) =>
        chart.Descendants(Svg + element).Single(e => e.Attribute("data-series")?.Value == name);

    private static XElement Rect(XElement chart, string name) => Series(chart, "rect", name);

    private static double LineY(XElement chart, string name) => Series(chart, "line", name).Number("y1");

    private static double Bottom(XElement rect) => rect.Y() + rect.Height();

    private static List<(double X, double Y)> Points(XElement shape) =>
        [.. shape.Attribute("points")!.Value.Split(' ').Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];
}

internal static class SvgAttributes
{
    public static double Number(this XElement element, string name) => double.Parse(element.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    public static double Y(this XElement element) => element.Number("y");

    public static double Height(this XElement element) => element.Number("height");
}
