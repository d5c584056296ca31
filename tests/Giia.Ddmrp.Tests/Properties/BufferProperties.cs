using CsCheck;

using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.NetFlow;
using Giia.Ddmrp.Engine.Replenishment;
using Giia.Ddmrp.Engine.Zones;

using static Giia.Ddmrp.Tests.Days;

namespace Giia.Ddmrp.Tests.Properties;

/// <summary>What must hold for any inputs in the accepted ranges.</summary>
public sealed class BufferProperties
{
    private static readonly Gen<decimal> Adu = Gen.Decimal[0m, 100_000m].Select(d => Math.Round(d, 4));
    private static readonly Gen<int> Dlt = Gen.Int[0, 365];
    private static readonly Gen<decimal> Factor = Gen.Decimal[0m, 3m].Select(d => Math.Round(d, 4));
    private static readonly Gen<decimal> Quantity = Gen.Decimal[0m, 1_000_000m].Select(d => Math.Round(d, 3));
    private static readonly Gen<int> Precision = Gen.Int[0, 4];

    private static readonly Gen<ZoneParameters> Parameters =
        Gen.Select(Adu, Dlt, Factor, Factor, Gen.Int[0, 60], Quantity, Precision)
            .Select((adu, dlt, ltf, vf, cycle, moq, precision) => new ZoneParameters(adu, dlt, ltf, vf, cycle, moq, precision));

    /// <summary>Zero a third of the time: no multiple, no MOQ are common and must be covered.</summary>
    private static Gen<decimal> OftenZero(Gen<decimal> gen) => Gen.Select(Gen.Int[0, 2], gen).Select((pick, value) => pick == 0 ? 0m : value);

    [Fact]
    public void Tops_are_ordered_from_zero() =>
        Parameters.Sample(p =>
        {
            var z = ZoneCalculator.Calculate(p);
            return 0m <= z.TopOfRed && z.TopOfRed <= z.TopOfYellow && z.TopOfYellow <= z.TopOfGreen;
        });

    [Fact]
    public void Zones_grow_with_adu() =>
        Gen.Select(Parameters, Adu).Sample((p, more) =>
        {
            var (low, high) = (ZoneCalculator.Calculate(p), ZoneCalculator.Calculate(p with { Adu = p.Adu + more }));
            return high.Red >= low.Red && high.Yellow >= low.Yellow && high.Green >= low.Green && high.TopOfGreen >= low.TopOfGreen;
        });

    [Fact]
    public void Zones_grow_with_dlt() =>
        Gen.Select(Parameters, Dlt).Sample((p, more) =>
        {
            var (low, high) = (ZoneCalculator.Calculate(p), ZoneCalculator.Calculate(p with { DltDays = p.DltDays + more }));
            return high.Red >= low.Red && high.Yellow >= low.Yellow && high.Green >= low.Green && high.TopOfGreen >= low.TopOfGreen;
        });

    [Fact]
    public void A_recommended_order_brings_the_nfp_to_at_least_toy_and_respects_multiple_and_moq() =>
        Gen.Select(Parameters, Gen.Decimal[-1_000_000m, 3_000_000m].Select(d => Math.Round(d, 3)), OftenZero(Gen.Int[1, 500].Select(m => (decimal)m)), OftenZero(Quantity))
            .Sample((p, nfp, multiple, moq) =>
            {
                var zones = ZoneCalculator.Calculate(p);
                var order = RecommendedOrder.Calculate(nfp, zones, multiple, moq, p.Precision);
                if (nfp > zones.TopOfYellow)
                {
                    return order == 0m;
                }

                var reachesTog = nfp + order >= zones.TopOfGreen;
                var wellFormed = order == 0m || (order >= moq && (multiple == 0m || order % multiple == 0m));
                return nfp + order >= zones.TopOfYellow && reachesTog && wellFormed;
            });

    [Fact]
    public void Planning_status_agrees_with_the_order_decision() =>
        Gen.Select(Parameters, Gen.Decimal[-1_000m, 3_000_000m].Select(d => Math.Round(d, 2)))
            .Sample((p, nfp) =>
            {
                var zones = ZoneCalculator.Calculate(p);
                var status = BufferStatuses.Planning(nfp, zones);
                var ordersIfNeeded = RecommendedOrder.Calculate(nfp, zones, 0m, 0m, p.Precision) > 0m || zones.TopOfGreen - nfp <= 0m;
                return status == BufferStatus.Green ? nfp > zones.TopOfYellow : ordersIfNeeded;
            });

    [Fact]
    public void Qualified_demand_lies_between_what_is_due_now_and_everything_within_the_horizon() =>
        Gen.Select(Gen.Select(Gen.Int[-30, 60], Quantity).Select((day, q) => At(day, q)).Array[0, 40], Quantity, Gen.Int[0, 30])
            .Sample((demand, threshold, horizon) =>
            {
                var result = QualifiedDemand.Calculate(demand, Today, threshold, horizon);
                var dueNow = demand.Where(d => d.Day <= Today).Sum(d => d.Quantity);
                var withinHorizon = demand.Where(d => d.Day <= Today.AddDays(horizon)).Sum(d => d.Quantity);
                return result.Total >= dueNow && result.Total <= withinHorizon && result.Spikes.All(s => s.Quantity >= threshold);
            });
}
