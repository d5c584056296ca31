namespace Giia.Ddmrp.Engine;

/// <summary>A quantity on a calendar day: a day's usage, a forecast day, or a supply or demand line due that day.</summary>
public readonly record struct DailyQuantity(DateOnly Day, decimal Quantity);
