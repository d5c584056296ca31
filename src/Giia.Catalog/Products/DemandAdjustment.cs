namespace Giia.Catalog.Products;

/// <summary>A demand adjustment factor: from <see cref="From"/> to <see cref="To"/> (inclusive) the ADU is multiplied by <see cref="Factor"/>.</summary>
public sealed class DemandAdjustment
{
    public DateOnly From { get; set; }

    public DateOnly To { get; set; }

    public decimal Factor { get; set; }
}
