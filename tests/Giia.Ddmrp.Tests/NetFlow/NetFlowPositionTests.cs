using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.NetFlow;
using Giia.Ddmrp.Engine.Zones;

using static Giia.Ddmrp.Tests.Days;

namespace Giia.Ddmrp.Tests.NetFlow;

public sealed class NetFlowPositionTests
{
    private static readonly BufferZones Reference = ZoneCalculator.Calculate(new ZoneParameters(4m, 10, 0.5m, 0.5m)); // TOR 30, TOY 70, TOG 90

    [Fact]
    public void Supply_due_within_the_dlt_counts()
    {
        // OCA/ddmrp: 20 due in 5 days, DLT 10.
        var result = NetFlowPosition.Calculate(0m, [At(5, 20)], 0m, Today, 10);

        Assert.Equal((20m, 0m, 20m), (result.SupplyWithinDlt, result.SupplyBeyondDlt, result.Position));
    }

    [Fact]
    public void Supply_due_beyond_the_dlt_is_reported_but_not_counted()
    {
        // OCA/ddmrp: 20 due in 100 days.
        var result = NetFlowPosition.Calculate(0m, [At(100, 20)], 0m, Today, 10);

        Assert.Equal((0m, 20m, 0m), (result.SupplyWithinDlt, result.SupplyBeyondDlt, result.Position));
    }

    [Fact]
    public void Late_supply_and_supply_due_on_the_last_day_count() =>
        Assert.Equal(15m, NetFlowPosition.Calculate(0m, [At(-3, 5), At(10, 10), At(11, 100)], 0m, Today, 10).Position);

    [Fact]
    public void Nfp_is_on_hand_plus_supply_minus_qualified_demand()
    {
        // OCA/ddmrp: 200 on hand, 120 to ship today, 35 arriving today → 115.
        Assert.Equal(115m, NetFlowPosition.Calculate(200m, [At(0, 35)], 120m, Today, 10).Position);
    }

    [Theory]
    [InlineData(-5, BufferStatus.BelowRed)]
    [InlineData(0, BufferStatus.BelowRed)]
    [InlineData(1, BufferStatus.Red)]
    [InlineData(30, BufferStatus.Red)]
    [InlineData(31, BufferStatus.Yellow)]
    [InlineData(50, BufferStatus.Yellow)]
    [InlineData(70, BufferStatus.Yellow)]
    [InlineData(71, BufferStatus.Green)]
    [InlineData(200, BufferStatus.Green)]
    public void Planning_status_from_nfp(int nfp, BufferStatus expected) => Assert.Equal(expected, BufferStatuses.Planning(nfp, Reference));

    [Theory]
    [InlineData(-1, BufferStatus.BelowRed)]
    [InlineData(0, BufferStatus.BelowRed)]
    [InlineData(14, BufferStatus.Red)]
    [InlineData(15, BufferStatus.Yellow)]
    [InlineData(29, BufferStatus.Yellow)]
    [InlineData(30, BufferStatus.Green)]
    [InlineData(200, BufferStatus.Green)]
    public void Execution_status_from_on_hand_against_tor(int onHand, BufferStatus expected) => Assert.Equal(expected, BufferStatuses.Execution(onHand, Reference));

    [Fact]
    public void Percentages_have_two_decimals_and_zero_for_an_empty_buffer()
    {
        Assert.Equal(222.22m, Quantities.Percent(200m, 90m));
        Assert.Equal(55.56m, Quantities.Percent(50m, 90m));
        Assert.Equal(666.67m, Quantities.Percent(200m, 30m));
        Assert.Equal(-11.11m, Quantities.Percent(-10m, 90m));
        Assert.Equal(0m, Quantities.Percent(10m, 0m));
    }
}
