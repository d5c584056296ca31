namespace Giia.Catalog.Suppliers;

/// <summary>The bounds of a supplier's fields (and of a supplier link's lead time).</summary>
public static class SupplierLimits
{
    /// <summary>Longer than any real lead time; a larger number is a typo.</summary>
    public const int MaxLeadTimeDays = 3650;
}
