using HdrHistogram;

namespace Giia.Benchmarks;

/// <summary>Percentiles of recorded latencies (microsecond resolution), printed as a Markdown row.</summary>
public sealed class LatencyReport(string name)
{
    private readonly LongHistogram histogram = new(TimeSpan.FromMinutes(5).Ticks / 10, 3);
    private readonly object gate = new();

    public string Name { get; } = name;

    public long Count
    {
        get
        {
            lock (gate)
            {
                return histogram.TotalCount;
            }
        }
    }

    public void Record(TimeSpan latency)
    {
        lock (gate)
        {
            histogram.RecordValue(Math.Max(1, latency.Ticks / 10));
        }
    }

    public double PercentileMs(double percentile)
    {
        lock (gate)
        {
            return histogram.GetValueAtPercentile(percentile) / 1000.0;
        }
    }

    public string MarkdownRow(double throughputPerSecond) =>
        $"| {Name} | {throughputPerSecond:N0} | {PercentileMs(50):0.00} | {PercentileMs(95):0.00} | {PercentileMs(99):0.00} | {Count:N0} |";

    public const string MarkdownHeader = "| measurement | throughput (/s) | p50 (ms) | p95 (ms) | p99 (ms) | samples |\n|---|---:|---:|---:|---:|---:|";
}
