namespace Giia.Catalog.ProductSuppliers;

public sealed record ProductSupplierView(Guid SupplierId, string SupplierCode, string SupplierName, int LeadTimeDays, decimal UnitCost,
    decimal MinimumOrderQuantity, bool IsPrimary, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, decimal OrderMultiple);
