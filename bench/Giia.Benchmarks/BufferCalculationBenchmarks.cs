using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.Adu;
using Giia.Ddmrp.Engine.Calculation;

namespace Giia.Benchmarks;

/// <summary>
/// The calculation core alone (no database): one buffer from 365 days of usage, 60 open demand lines and 20 open
/// supply lines, per ADU method. The floor is the least any calculation must do with that input: one pass adding up
/// the 365 usage rows.
/// </summary>
[Config(typeof(InProcessConfig))]
public class BufferCalculationBenchmarks
{
    private BufferCalculationInput input = null!;

    [Params(AduMethod.Average, AduMethod.Exponential, AduMethod.Weighted, AduMethod.Blended)]
    public AduMethod Method { get; set; }

    public static int Run()
    {
        BenchmarkRunner.Run<BufferCalculationBenchmarks>();
        return 0;
    }

    [GlobalSetup]
    public void Setup()
    {
        var today = new DateOnly(2026, 6, 15);
        var random = new Random(18);
        input = new BufferCalculationInput
        {
            Today = today,
            Adu = new AduParameters { Method = Method, HorizonDays = 365, ForwardHorizonDays = 90, Alpha = 0.2m },
            Usage = [.. Enumerable.Range(1, 365).Select(d => new DailyQuantity(today.AddDays(-d), random.Next(0, 40)))],
            Forecast = [.. Enumerable.Range(1, 90).Select(d => new DailyQuantity(today.AddDays(d), 20m))],
            AdjustmentFactors = [new DemandAdjustmentFactor(today.AddDays(-5), today.AddDays(20), 1.2m)],
            DltDays = 12,
            LeadTimeFactor = 0.5m,
            VariabilityFactor = 0.5m,
            OrderCycleDays = 7,
            MinimumOrderQuantity = 100m,
            OrderMultiple = 25m,
            OnHand = 180m,
            OpenDemand = [.. Enumerable.Range(0, 60).Select(i => new DailyQuantity(today.AddDays(i - 10), random.Next(1, 60)))],
            OpenSupply = [.. Enumerable.Range(0, 20).Select(i => new DailyQuantity(today.AddDays(i * 2), 50m))],
        };
    }

    [Benchmark(Baseline = true, Description = "floor: sum 365 usage rows")]
    public decimal SumUsage()
    {
        var sum = 0m;
        foreach (var row in input.Usage)
        {
            sum += row.Quantity;
        }

        return sum;
    }

    [Benchmark(Description = "calculate one buffer")]
    public decimal Calculate() => BufferCalculator.Calculate(input).RecommendedOrder;
}
