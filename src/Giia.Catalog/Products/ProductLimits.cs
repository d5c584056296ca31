namespace Giia.Catalog.Products;

/// <summary>The bounds of a product's fields (and of its supplier links' amounts), shared by the rules, the columns and the contract.</summary>
public static class ProductLimits
{
    public const decimal MaxAmount = 1_000_000_000m;
    public const int MaxLeadTimeDays = 3650;
    public const int MaxUnitPrecision = 6;
    public const int MaxDemandAdjustments = 50;
    public const decimal MaxAdjustmentFactor = 100m;

    /// <summary>Money and quantity columns, <c>numeric(18, 4)</c>.</summary>
    public const int AmountPrecision = 18;
    public const int AmountScale = 4;
    public const int MaxSearchLength = 100;
}
