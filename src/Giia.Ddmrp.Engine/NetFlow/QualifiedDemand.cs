namespace Giia.Ddmrp.Engine.NetFlow;

/// <summary>
/// Qualified demand: all open demand past due or due today, plus each later day within the spike horizon whose
/// total demand is at or above the spike threshold. Demand below the threshold, or beyond the horizon, is left to
/// the ADU already built into the zones. Lines are summed per day before the threshold is applied.
/// </summary>
public static class QualifiedDemand
{
    public static QualifiedDemandResult Calculate(IEnumerable<DailyQuantity> openDemand, DateOnly today, decimal spikeThreshold, int spikeHorizonDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spikeThreshold);
        ArgumentOutOfRangeException.ThrowIfNegative(spikeHorizonDays);
        var horizonEnd = today.AddDays(spikeHorizonDays);
        decimal pastDue = 0m, dueToday = 0m;
        var future = new SortedDictionary<DateOnly, decimal>();
        foreach (var line in openDemand)
        {
            if (line.Day < today)
            {
                pastDue += line.Quantity;
            }
            else if (line.Day == today)
            {
                dueToday += line.Quantity;
            }
            else if (line.Day <= horizonEnd)
            {
                future[line.Day] = future.GetValueOrDefault(line.Day) + line.Quantity;
            }
        }

        var spikes = future.Where(day => day.Value >= spikeThreshold && day.Value > 0m)
            .Select(day => new DailyQuantity(day.Key, day.Value))
            .ToList();
        return new QualifiedDemandResult(pastDue, dueToday, spikes);
    }

    /// <summary>The spike threshold: a percentage of the red zone, rounded to the unit precision.</summary>
    public static decimal Threshold(decimal redZone, decimal percentOfRed, int precision) =>
        Quantities.Round(redZone * percentOfRed / 100m, precision);
}
