namespace Giia.Catalog.Products;

/// <summary>From and to are days (inclusive); factor multiplies the ADU in that period.</summary>
public sealed record DemandAdjustmentView(DateOnly? From, DateOnly? To, decimal? Factor);
