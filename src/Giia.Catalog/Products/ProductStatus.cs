namespace Giia.Catalog.Products;

public enum ProductStatus
{
    Active,
    Inactive,
    Discontinued,
}
