using Giia.Catalog.Suppliers;

namespace Giia.Catalog.Products;

/// <summary>A supplier a product can be bought from, on these terms; at most one link per product is primary.</summary>
public sealed class ProductSupplier
{
    public Guid ProductId { get; set; }

    public Guid SupplierId { get; set; }

    public Supplier? Supplier { get; set; }

    public Guid OrganizationId { get; set; }

    /// <summary>Days from order to receipt from this supplier (DDMRP's decoupled lead time input).</summary>
    public int LeadTimeDays { get; set; }

    public decimal UnitCost { get; set; }

    public decimal MinimumOrderQuantity { get; set; }

    /// <summary>Orders from this supplier come in multiples of this (a pack or pallet); 0: any quantity.</summary>
    public decimal OrderMultiple { get; set; }

    public bool IsPrimary { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
