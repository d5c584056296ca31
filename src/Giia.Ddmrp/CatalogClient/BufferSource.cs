using Giia.Catalog.Grpc.V1;

namespace Giia.Ddmrp.CatalogClient;

/// <summary>What Catalog says about a product's buffer: the product (with its supplier links) and its buffer profile.</summary>
internal sealed record BufferSource(Product Product, BufferProfile Profile)
{
    /// <summary>The primary supplier link, else none (a product may have links and none of them primary).</summary>
    public ProductSupplierLink? PrimaryLink => Product.Suppliers.FirstOrDefault(l => l.IsPrimary);
}
