using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.Adu;

using static Giia.Ddmrp.Tests.Days;

namespace Giia.Ddmrp.Tests.Adu;

public sealed class AduCalculatorTests
{
    private static AduResult Adu(AduParameters parameters, IEnumerable<DailyQuantity>? usage = null, IEnumerable<DailyQuantity>? forecast = null, params DemandAdjustmentFactor[] factors) =>
        AduCalculator.Calculate(parameters, Today, usage ?? [], forecast ?? [], factors);

    [Fact]
    public void Past_average_reads_the_horizon_before_today_and_nothing_else()
    {
        // OCA/ddmrp "window past" case: 6-day horizon; today's 20 and the 12 seven days ago are outside it.
        var usage = new[] { At(0, 20), At(-1, 20), At(-4, 20), At(-6, 10), At(-7, 12) };

        var adu = Adu(new AduParameters { Method = AduMethod.Average, HorizonDays = 6 }, usage);

        Assert.Equal(8.3333m, adu.Base); // (20 + 20 + 10) / 6
    }

    [Fact]
    public void Past_average_over_120_days_counts_days_without_usage_as_zero()
    {
        // OCA/ddmrp "past 120 days": 60 + 60 shipped 31 and 61 days ago → 120 / 120.
        var adu = Adu(new AduParameters { HorizonDays = 120 }, [At(-31, 60), At(-61, 60)]);

        Assert.Equal(1m, adu.Base);
    }

    [Fact]
    public void Several_rows_on_one_day_add_up()
    {
        var adu = Adu(new AduParameters { HorizonDays = 2 }, [At(-1, 3), At(-1, 5), At(-2, 2)]);

        Assert.Equal(5m, adu.Base);
    }

    [Fact]
    public void Forward_average_reads_the_forecast_after_today_within_its_horizon()
    {
        // OCA/ddmrp "future 120 days": 60 + 60 due in 31 and 61 days → 1 a day; a line 151 days out is beyond the horizon.
        var parameters = new AduParameters { Method = AduMethod.Forward, ForwardHorizonDays = 120 };

        Assert.Equal(1m, Adu(parameters, forecast: [At(31, 60), At(61, 60)]).Base);
        Assert.Equal(1m, Adu(parameters, forecast: [At(31, 60), At(61, 60), At(151, 1)]).Base);
    }

    [Fact]
    public void Forward_average_of_an_estimate_spread_over_the_horizon()
    {
        // OCA/ddmrp "future 120 days estimated": 120 units over the 120 days from tomorrow → 1.
        var forecast = Enumerable.Range(1, 120).Select(day => At(day, 1)).ToList();

        Assert.Equal(1m, Adu(new AduParameters { Method = AduMethod.Forward, ForwardHorizonDays = 120 }, forecast: forecast).Base);
    }

    [Fact]
    public void Blended_weighs_past_and_forward()
    {
        // OCA/ddmrp "blended": 360 past units / 120 days = 3, 120 forecast / 120 days = 1, weights 0.5 / 0.5 → 2.
        var forecast = Enumerable.Range(1, 120).Select(day => At(day, 1)).ToList();
        var parameters = new AduParameters { Method = AduMethod.Blended, HorizonDays = 120, ForwardHorizonDays = 120, PastWeight = 0.5m, ForwardWeight = 0.5m };

        var adu = Adu(parameters, [At(-31, 180), At(-61, 180)], forecast);

        Assert.Equal(2m, adu.Base);
    }

    [Fact]
    public void Blended_weights_must_sum_to_one()
    {
        // OCA/ddmrp refuses factors 0.2 + 0.6.
        var parameters = new AduParameters { Method = AduMethod.Blended, PastWeight = 0.2m, ForwardWeight = 0.6m };

        Assert.Contains(parameters.Validate(), e => e.Field == "aduPastWeight");
        Assert.Throws<ArgumentException>(() => Adu(parameters));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(731)]
    public void Horizons_outside_one_to_730_days_are_refused(int days)
    {
        Assert.Contains(new AduParameters { HorizonDays = days }.Validate(), e => e.Field == "aduHorizonDays");
        Assert.Contains(new AduParameters { ForwardHorizonDays = days }.Validate(), e => e.Field == "aduForwardHorizonDays");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.01")]
    [InlineData("-0.5")]
    public void Alpha_must_be_in_zero_to_one(string alpha)
    {
        Assert.Contains(new AduParameters { Alpha = decimal.Parse(alpha, System.Globalization.CultureInfo.InvariantCulture) }.Validate(), e => e.Field == "aduAlpha");
    }

    [Fact]
    public void Exponential_smooths_oldest_to_newest_from_the_oldest_day()
    {
        // s = 10; s = 0.5·20 + 0.5·10 = 15; s = 0.5·30 + 0.5·15 = 22.5
        var adu = Adu(new AduParameters { Method = AduMethod.Exponential, HorizonDays = 3, Alpha = 0.5m }, History(10, 20, 30));

        Assert.Equal(22.5m, adu.Base);
    }

    [Fact]
    public void Exponential_of_a_flat_history_is_that_level_and_alpha_one_is_yesterday()
    {
        Assert.Equal(7m, Adu(new AduParameters { Method = AduMethod.Exponential, HorizonDays = 90, Alpha = 0.2m }, History([.. Enumerable.Repeat(7m, 90)])).Base);
        Assert.Equal(30m, Adu(new AduParameters { Method = AduMethod.Exponential, HorizonDays = 3, Alpha = 1m }, History(10, 20, 30)).Base);
    }

    [Fact]
    public void Weighted_gives_yesterday_the_most_weight()
    {
        // (1·10 + 2·20 + 3·30) / (1 + 2 + 3) = 140 / 6
        var adu = Adu(new AduParameters { Method = AduMethod.Weighted, HorizonDays = 3 }, History(10, 20, 30));

        Assert.Equal(23.3333m, adu.Base);
    }

    [Fact]
    public void Adjustment_factors_multiply_the_adu_of_their_period_only()
    {
        var usage = History([.. Enumerable.Repeat(4m, 90)]);
        var parameters = new AduParameters { HorizonDays = 90 };

        var inPeriod = Adu(parameters, usage, null, new DemandAdjustmentFactor(Today.AddDays(-3), Today.AddDays(10), 1.5m));
        var beforePeriod = Adu(parameters, usage, null, new DemandAdjustmentFactor(Today.AddDays(1), Today.AddDays(10), 1.5m));
        var overlapping = Adu(parameters, usage, null,
            new DemandAdjustmentFactor(Today, Today, 2m), new DemandAdjustmentFactor(Today.AddDays(-1), Today.AddDays(1), 1.5m));

        Assert.Equal((4m, 1.5m, 6m), (inPeriod.Base, inPeriod.AdjustmentFactor, inPeriod.Adjusted));
        Assert.Equal((4m, 1m, 4m), (beforePeriod.Base, beforePeriod.AdjustmentFactor, beforePeriod.Adjusted));
        Assert.Equal(12m, overlapping.Adjusted);
    }
}
