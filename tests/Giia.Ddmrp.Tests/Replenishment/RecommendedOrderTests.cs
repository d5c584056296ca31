using Giia.Ddmrp.Engine.Replenishment;
using Giia.Ddmrp.Engine.Zones;

namespace Giia.Ddmrp.Tests.Replenishment;

public sealed class RecommendedOrderTests
{
    private static readonly BufferZones Reference = ZoneCalculator.Calculate(new ZoneParameters(4m, 10, 0.5m, 0.5m)); // TOR 30, TOY 70, TOG 90

    [Theory]
    // OCA/ddmrp: NFP 50 → 40; NFP 60 → 30; NFP 200 (above TOY) → nothing.
    [InlineData(50, 40)]
    [InlineData(60, 30)]
    [InlineData(200, 0)]
    [InlineData(71, 0)]
    [InlineData(70, 20)]
    [InlineData(0, 90)]
    [InlineData(-25, 115)]
    public void Tog_minus_nfp_at_or_below_toy(int nfp, int expected) =>
        Assert.Equal(expected, RecommendedOrder.Calculate(nfp, Reference, 0m, 0m, 0));

    [Fact]
    public void Rounded_up_to_the_order_multiple()
    {
        // OCA/ddmrp "qty multiple": TOG 270 (red 10, yellow 10, green 250), NFP −2 → 272 needed → 500 in multiples of 250.
        var zones = new BufferZones(10m, 0m, 10m, 0m, 0m, 250m, 250m);

        Assert.Equal(500m, RecommendedOrder.Calculate(-2m, zones, 250m, 0m, 0));
    }

    [Fact]
    public void At_least_the_moq() => Assert.Equal(40m, RecommendedOrder.Calculate(65m, Reference, 0m, 40m, 0));

    [Fact]
    public void Moq_then_multiple_so_both_hold()
    {
        // Needed 25 (TOG 90 − NFP 65); MOQ 32; multiple 10 → 40: a multiple and at least the MOQ.
        Assert.Equal(40m, RecommendedOrder.Calculate(65m, Reference, 10m, 32m, 0));
    }

    [Fact]
    public void Fractions_round_up_to_the_unit()
    {
        Assert.Equal(21m, RecommendedOrder.Calculate(69.2m, Reference, 0m, 0m, 0));
        Assert.Equal(21m, RecommendedOrder.Calculate(69.7m, Reference, 0m, 0m, 0));
        Assert.Equal(20.8m, RecommendedOrder.Calculate(69.2m, Reference, 0m, 0m, 1));
    }

    [Fact]
    public void Fractional_multiples()
    {
        Assert.Equal(20.5m, RecommendedOrder.Calculate(69.7m, Reference, 0.5m, 0m, 2));
    }

    [Fact]
    public void Negative_multiples_or_moq_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RecommendedOrder.Calculate(0m, Reference, -1m, 0m, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RecommendedOrder.Calculate(0m, Reference, 0m, -1m, 0));
    }
}
