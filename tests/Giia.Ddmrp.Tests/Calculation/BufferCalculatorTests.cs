using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.Adu;
using Giia.Ddmrp.Engine.Calculation;
using Giia.Ddmrp.Engine.NetFlow;

using static Giia.Ddmrp.Tests.Days;

namespace Giia.Ddmrp.Tests.Calculation;

/// <summary>The OCA/ddmrp "all zones" walk-through, end to end: ADU 4 (from usage), DLT 10, 200 on hand.</summary>
public sealed class BufferCalculatorTests
{
    private static readonly BufferCalculationInput Reference = new()
    {
        Today = Today,
        Adu = new AduParameters { Method = AduMethod.Average, HorizonDays = 30 },
        Usage = History([.. Enumerable.Repeat(4m, 30)]),
        DltDays = 10,
        LeadTimeFactor = 0.5m,
        VariabilityFactor = 0.5m,
        OrderMultiple = 1m,
        SpikeHorizonDays = 10,
        OnHand = 200m,
    };

    [Fact]
    public void Full_buffer_is_green_and_orders_nothing()
    {
        var result = BufferCalculator.Calculate(Reference);

        Assert.Equal(4m, result.Adu.Adjusted);
        Assert.Equal((30m, 70m, 90m), (result.Zones.TopOfRed, result.Zones.TopOfYellow, result.Zones.TopOfGreen));
        Assert.Equal(15m, result.SpikeThreshold);
        Assert.Equal((200m, 222.22m, BufferStatus.Green), (result.NetFlow.Position, result.NetFlowPercent, result.PlanningStatus));
        Assert.Equal((666.67m, BufferStatus.Green), (result.OnHandPercent, result.ExecutionStatus));
        Assert.Equal(0m, result.RecommendedOrder);
    }

    [Fact]
    public void A_shipment_due_today_moves_the_buffer_to_yellow_and_asks_for_an_order()
    {
        var result = BufferCalculator.Calculate(Reference with { OpenDemand = [At(0, 150)] });

        Assert.Equal((150m, 50m, 55.56m), (result.QualifiedDemand.Total, result.NetFlow.Position, result.NetFlowPercent));
        Assert.Equal((BufferStatus.Yellow, BufferStatus.Green), (result.PlanningStatus, result.ExecutionStatus));
        Assert.Equal(40m, result.RecommendedOrder);
    }

    [Fact]
    public void After_shipping_the_on_hand_position_follows()
    {
        var result = BufferCalculator.Calculate(Reference with { OnHand = 50m });

        Assert.Equal((166.67m, BufferStatus.Green, BufferStatus.Yellow), (result.OnHandPercent, result.ExecutionStatus, result.PlanningStatus));
        Assert.Equal(40m, result.RecommendedOrder);
    }

    [Fact]
    public void Spike_horizon_defaults_to_the_dlt_and_spikes_lower_the_nfp()
    {
        var input = Reference with { SpikeHorizonDays = null, OpenDemand = [At(8, 20), At(9, 10), At(12, 500)] };

        var result = BufferCalculator.Calculate(input);

        Assert.Equal(10, result.SpikeHorizonDays);
        Assert.Equal((20m, 180m), (result.QualifiedDemand.Total, result.NetFlow.Position));
    }

    [Fact]
    public void Open_supply_within_the_dlt_raises_the_nfp()
    {
        var result = BufferCalculator.Calculate(Reference with { OnHand = 10m, OpenSupply = [At(4, 30), At(40, 1000)] });

        Assert.Equal((30m, 1000m, 40m), (result.NetFlow.SupplyWithinDlt, result.NetFlow.SupplyBeyondDlt, result.NetFlow.Position));
        Assert.Equal((BufferStatus.Yellow, BufferStatus.Red, 50m), (result.PlanningStatus, result.ExecutionStatus, result.RecommendedOrder));
    }

    [Fact]
    public void A_stock_out_is_below_red_on_both_views()
    {
        var result = BufferCalculator.Calculate(Reference with { OnHand = 0m, OpenDemand = [At(-1, 12)] });

        Assert.Equal((-12m, BufferStatus.BelowRed, BufferStatus.BelowRed), (result.NetFlow.Position, result.PlanningStatus, result.ExecutionStatus));
        Assert.Equal(102m, result.RecommendedOrder);
    }

    [Fact]
    public void Adjustment_factors_reach_the_zones()
    {
        var result = BufferCalculator.Calculate(Reference with { AdjustmentFactors = [new DemandAdjustmentFactor(Today, Today.AddDays(30), 2m)] });

        Assert.Equal((4m, 8m, 180m), (result.Adu.Base, result.Adu.Adjusted, result.Zones.TopOfGreen));
    }

    [Theory]
    [InlineData("dltDays")]
    [InlineData("leadTimeFactor")]
    [InlineData("precision")]
    [InlineData("usage")]
    [InlineData("openDemand")]
    [InlineData("onHand")]
    [InlineData("adjustmentFactors")]
    public void Invalid_input_names_its_field_and_is_not_calculated(string field)
    {
        var input = field switch
        {
            "dltDays" => Reference with { DltDays = -1 },
            "leadTimeFactor" => Reference with { LeadTimeFactor = 101m },
            "precision" => Reference with { Precision = 7 },
            "usage" => Reference with { Usage = [At(-1, -5)] },
            "openDemand" => Reference with { OpenDemand = [At(1, BufferCalculationInput.MaxQuantity + 1)] },
            "onHand" => Reference with { OnHand = -BufferCalculationInput.MaxQuantity - 1 },
            _ => Reference with { AdjustmentFactors = [new DemandAdjustmentFactor(Today, Today.AddDays(-1), 2m)] },
        };

        Assert.Contains(input.Validate(), e => e.Field == field);
        var error = Assert.Throws<ArgumentException>(() => BufferCalculator.Calculate(input));
        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void The_largest_accepted_inputs_do_not_overflow()
    {
        var max = BufferCalculationInput.MaxQuantity;
        var input = Reference with
        {
            Adu = new AduParameters { Method = AduMethod.Weighted, HorizonDays = AduParameters.MaxHorizonDays },
            Usage = [.. Enumerable.Range(1, AduParameters.MaxHorizonDays).Select(d => At(-d, max))],
            AdjustmentFactors = [new DemandAdjustmentFactor(Today, Today, 100m)],
            DltDays = 3650,
            LeadTimeFactor = 100m,
            VariabilityFactor = 100m,
            OrderCycleDays = 3650,
            MinimumOrderQuantity = max,
            OnHand = -max,
            OpenDemand = [At(0, max)],
        };

        var result = BufferCalculator.Calculate(input);

        Assert.True(result.RecommendedOrder > 0m);
    }
}
