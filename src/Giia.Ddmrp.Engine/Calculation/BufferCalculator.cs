using Giia.Ddmrp.Engine.Adu;
using Giia.Ddmrp.Engine.NetFlow;
using Giia.Ddmrp.Engine.Replenishment;
using Giia.Ddmrp.Engine.Zones;

namespace Giia.Ddmrp.Engine.Calculation;

/// <summary>ADU → zones → qualified demand → NFP → statuses → recommended order, for one buffer.</summary>
public static class BufferCalculator
{
    /// <exception cref="ArgumentException">The input fails <see cref="BufferCalculationInput.Validate"/>.</exception>
    public static BufferCalculation Calculate(BufferCalculationInput input)
    {
        var errors = input.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(errors[0].Message, errors[0].Field);
        }

        var adu = AduCalculator.Calculate(input.Adu, input.Today, input.Usage, input.Forecast, input.AdjustmentFactors);
        var zones = ZoneCalculator.Calculate(new ZoneParameters(
            adu.Adjusted, input.DltDays, input.LeadTimeFactor, input.VariabilityFactor,
            input.OrderCycleDays, input.MinimumOrderQuantity, input.Precision));
        var threshold = QualifiedDemand.Threshold(zones.Red, input.SpikeThresholdPercentOfRed, input.Precision);
        var horizon = input.SpikeHorizonDays ?? input.DltDays;
        var qualified = QualifiedDemand.Calculate(input.OpenDemand, input.Today, threshold, horizon);
        var netFlow = NetFlowPosition.Calculate(input.OnHand, input.OpenSupply, qualified.Total, input.Today, input.DltDays);
        var order = RecommendedOrder.Calculate(netFlow.Position, zones, input.OrderMultiple, input.MinimumOrderQuantity, input.Precision);
        return new BufferCalculation(
            adu,
            input.DltDays,
            zones,
            threshold,
            horizon,
            qualified,
            netFlow,
            Quantities.Percent(netFlow.Position, zones.TopOfGreen),
            Quantities.Percent(input.OnHand, zones.TopOfRed),
            BufferStatuses.Planning(netFlow.Position, zones),
            BufferStatuses.Execution(input.OnHand, zones),
            order);
    }
}
