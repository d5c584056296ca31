using Giia.Ddmrp.Engine;

namespace Giia.Ddmrp.Tests;

/// <summary>A fixed planning day and quantities placed relative to it, so every figure is reproducible.</summary>
internal static class Days
{
    public static readonly DateOnly Today = new(2026, 6, 15);

    public static DailyQuantity At(int offsetDays, decimal quantity) => new(Today.AddDays(offsetDays), quantity);

    /// <summary>One row per day for the given consecutive days before today, oldest first.</summary>
    public static List<DailyQuantity> History(params decimal[] oldestFirst) =>
        [.. oldestFirst.Select((quantity, i) => At(i - oldestFirst.Length, quantity))];
}
