namespace Giia.Ddmrp.Engine.NetFlow;

/// <summary>Qualified demand and its parts: past due, due today, and the future spikes that qualified.</summary>
public sealed record QualifiedDemandResult(decimal PastDue, decimal DueToday, IReadOnlyList<DailyQuantity> Spikes)
{
    public decimal SpikeTotal => Spikes.Sum(s => s.Quantity);

    public decimal Total => PastDue + DueToday + SpikeTotal;
}
