namespace Giia.Catalog.Products;

/// <summary>
/// The list filters of REST and gRPC alike; blank means any. <paramref name="WithSuppliers"/> reads each product's
/// supplier links (and their suppliers) too.
/// </summary>
public sealed record ProductFilter(string? Status, string? Category, string? Search, bool WithSuppliers = false);
