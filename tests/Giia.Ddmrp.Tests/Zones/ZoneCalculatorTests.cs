using Giia.Ddmrp.Engine.Zones;

namespace Giia.Ddmrp.Tests.Zones;

/// <summary>
/// The OCA/ddmrp reference buffer: ADU 4, DLT 10 days, lead-time factor 0.5, variability factor 0.5, no order cycle,
/// no MOQ, whole units.
/// </summary>
public sealed class ZoneCalculatorTests
{
    private static readonly ZoneParameters Reference = new(Adu: 4m, DltDays: 10, LeadTimeFactor: 0.5m, VariabilityFactor: 0.5m);

    [Fact]
    public void Reference_buffer_zones()
    {
        var zones = ZoneCalculator.Calculate(Reference);

        Assert.Equal((20m, 10m, 30m), (zones.RedBase, zones.RedSafety, zones.Red));
        Assert.Equal((40m, 70m), (zones.Yellow, zones.TopOfYellow));
        Assert.Equal((0m, 20m, 0m, 20m), (zones.GreenOrderCycle, zones.GreenLeadTime, zones.GreenMinimumOrder, zones.Green));
        Assert.Equal(90m, zones.TopOfGreen);
    }

    [Theory]
    // OCA/ddmrp red zone variations: longer DLT, lead-time factor 1, variability factor 1, ADU 2.
    [InlineData(4, 20, "0.5", "0.5", 40, 20, 60, 80, 140)]
    [InlineData(4, 20, "1", "0.5", 80, 40, 120, 80, 200)]
    [InlineData(4, 20, "1", "1", 80, 80, 160, 80, 240)]
    [InlineData(2, 20, "1", "1", 40, 40, 80, 40, 120)]
    [InlineData(2, 20, "0.5", "0.5", 20, 10, 30, 40, 70)]
    [InlineData(2, 10, "1", "1", 20, 20, 40, 20, 60)]
    public void Red_and_yellow_follow_adu_dlt_and_factors(int adu, int dlt, string ltf, string vf, int redBase, int redSafety, int red, int yellow, int topOfYellow)
    {
        var zones = ZoneCalculator.Calculate(new ZoneParameters(adu, dlt, D(ltf), D(vf)));

        Assert.Equal((redBase, redSafety, red, yellow, topOfYellow), ((int)zones.RedBase, (int)zones.RedSafety, (int)zones.Red, (int)zones.Yellow, (int)zones.TopOfYellow));
    }

    [Fact]
    public void Moq_above_the_other_green_options_sets_the_green_zone()
    {
        // OCA/ddmrp: ADU 2, LTF 1 → TOY 50; MOQ 40 beats ADU·DLT·LTF = 20 → TOG 90.
        var zones = ZoneCalculator.Calculate(new ZoneParameters(2m, 10, 1m, 0.5m, MinimumOrderQuantity: 40m));

        Assert.Equal((20m, 40m, 40m, 50m, 90m), (zones.GreenLeadTime, zones.GreenMinimumOrder, zones.Green, zones.TopOfYellow, zones.TopOfGreen));
    }

    [Fact]
    public void Order_cycle_above_the_other_green_options_sets_the_green_zone()
    {
        var zones = ZoneCalculator.Calculate(Reference with { OrderCycleDays = 15 });

        Assert.Equal((60m, 60m, 130m), (zones.GreenOrderCycle, zones.Green, zones.TopOfGreen));
    }

    [Fact]
    public void A_small_moq_or_order_cycle_leaves_the_lead_time_green()
    {
        var zones = ZoneCalculator.Calculate(Reference with { OrderCycleDays = 2, MinimumOrderQuantity = 5m });

        Assert.Equal((8m, 5m, 20m), (zones.GreenOrderCycle, zones.GreenMinimumOrder, zones.Green));
    }

    [Fact]
    public void Parts_round_half_away_from_zero_to_whole_units_by_default()
    {
        // ADU 1.25 · DLT 3 · 0.5 = 1.875 → 2; safety 2 · 0.25 = 0.5 → 1; yellow 3.75 → 4.
        var zones = ZoneCalculator.Calculate(new ZoneParameters(1.25m, 3, 0.5m, 0.25m));

        Assert.Equal((2m, 1m, 4m, 3m, 7m, 9m), (zones.RedBase, zones.RedSafety, zones.Yellow, zones.TopOfRed, zones.TopOfYellow, zones.TopOfGreen));
    }

    [Fact]
    public void Parts_round_to_the_units_precision()
    {
        // Two decimals: 1.875 → 1.88; 1.88 · 0.25 = 0.47; yellow 3.75.
        var zones = ZoneCalculator.Calculate(new ZoneParameters(1.25m, 3, 0.5m, 0.25m, Precision: 2));

        Assert.Equal((1.88m, 0.47m, 3.75m, 2.35m, 6.10m, 7.98m), (zones.RedBase, zones.RedSafety, zones.Yellow, zones.TopOfRed, zones.TopOfYellow, zones.TopOfGreen));
    }

    [Fact]
    public void Zero_adu_gives_empty_zones_except_the_moq()
    {
        var zones = ZoneCalculator.Calculate(new ZoneParameters(0m, 10, 0.5m, 0.5m, MinimumOrderQuantity: 12m));

        Assert.Equal((0m, 0m, 12m), (zones.TopOfRed, zones.TopOfYellow, zones.TopOfGreen));
    }

    [Fact]
    public void Negative_parameters_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ZoneCalculator.Calculate(Reference with { Adu = -1m }));

    private static decimal D(string value) => decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
