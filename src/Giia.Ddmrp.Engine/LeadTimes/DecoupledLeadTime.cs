namespace Giia.Ddmrp.Engine.LeadTimes;

/// <summary>The decoupled lead time (DLT) in days and where it came from.</summary>
public sealed record DecoupledLeadTime(int Days, LeadTimeSource Source)
{
    /// <summary>The longest lead time accepted (ten years of days).</summary>
    public const int MaxDays = 3650;

    /// <summary>
    /// The product's override when it has one, else the primary supplier link's lead time, else that supplier's
    /// default lead time. A link lead time of 0 counts as not stated (Catalog stores 0 when none was given);
    /// null when there is neither an override nor a primary supplier.
    /// </summary>
    public static DecoupledLeadTime? Resolve(int? productOverrideDays, int? primaryLinkLeadTimeDays, int? primarySupplierDefaultDays)
    {
        if (productOverrideDays is { } overrideDays)
        {
            return new(Check(overrideDays), LeadTimeSource.ProductOverride);
        }

        if (primaryLinkLeadTimeDays is > 0)
        {
            return new(Check(primaryLinkLeadTimeDays.Value), LeadTimeSource.PrimarySupplierLink);
        }

        return primarySupplierDefaultDays is { } supplierDays
            ? new(Check(supplierDays), LeadTimeSource.SupplierDefault)
            : null;
    }

    private static int Check(int days) => days is >= 0 and <= MaxDays
        ? days
        : throw new ArgumentOutOfRangeException(nameof(days), days, $"A lead time must be 0 to {MaxDays} days.");
}
