namespace Giia.Ddmrp.Engine.LeadTimes;

/// <summary>Where a buffer's decoupled lead time came from.</summary>
public enum LeadTimeSource
{
    ProductOverride,
    PrimarySupplierLink,
    SupplierDefault,
}
