using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.NetFlow;

using static Giia.Ddmrp.Tests.Days;

namespace Giia.Ddmrp.Tests.NetFlow;

/// <summary>The OCA/ddmrp reference buffer: red zone 30, so a 50 % threshold is 15; spike horizon 10 days.</summary>
public sealed class QualifiedDemandTests
{
    private const decimal Threshold = 15m;
    private const int Horizon = 10;

    private static QualifiedDemandResult Qualify(params DailyQuantity[] demand) => QualifiedDemand.Calculate(demand, Today, Threshold, Horizon);

    [Fact]
    public void Threshold_is_half_the_red_zone_by_default() => Assert.Equal(Threshold, QualifiedDemand.Threshold(30m, 50m, 0));

    [Fact]
    public void Todays_demand_always_qualifies() => Assert.Equal(30m, Qualify(At(0, 30)).Total);

    [Fact]
    public void Todays_demand_below_the_threshold_still_qualifies() => Assert.Equal(3m, Qualify(At(0, 3)).DueToday);

    [Fact]
    public void Past_due_demand_always_qualifies()
    {
        var result = Qualify(At(-40, 2), At(-1, 5));

        Assert.Equal((7m, 7m), (result.PastDue, result.Total));
    }

    [Fact]
    public void Future_demand_below_the_threshold_does_not_qualify() => Assert.Equal(0m, Qualify(At(10, Threshold - 1)).Total);

    [Fact]
    public void A_spike_within_the_horizon_qualifies()
    {
        var result = Qualify(At(10, Threshold * 2));

        Assert.Equal(30m, result.Total);
        Assert.Equal([At(10, 30)], result.Spikes);
    }

    [Fact]
    public void A_spike_exactly_at_the_threshold_qualifies() => Assert.Equal(Threshold, Qualify(At(4, Threshold)).Total);

    [Fact]
    public void A_spike_beyond_the_horizon_does_not_qualify() => Assert.Equal(0m, Qualify(At(100, Threshold * 2), At(11, Threshold * 2)).Total);

    [Fact]
    public void Lines_of_one_day_are_summed_before_the_threshold()
    {
        var result = Qualify(At(5, 8), At(5, 9), At(6, 14));

        Assert.Equal([At(5, 17)], result.Spikes);
        Assert.Equal(17m, result.Total);
    }

    [Fact]
    public void Everything_together()
    {
        var result = Qualify(At(-2, 4), At(0, 6), At(3, 20), At(7, 10), At(30, 50));

        Assert.Equal((4m, 6m, 20m, 30m), (result.PastDue, result.DueToday, result.SpikeTotal, result.Total));
    }
}
