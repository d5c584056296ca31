namespace Giia.Catalog.Suppliers;

public enum SupplierStatus
{
    Active,
    Inactive,
}
