using Giia.Catalog.BufferProfiles;
using Giia.Catalog.Common;

namespace Giia.Catalog.Products;

/// <summary>An item an organization plans replenishment for; its SKU is unique within the organization.</summary>
public sealed class Product : ICatalogEntity
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Sku { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public string? Category { get; set; }

    public required string UnitOfMeasure { get; set; }

    public decimal StandardCost { get; set; }

    public ProductStatus Status { get; set; } = ProductStatus.Active;

    /// <summary>The buffer profile DDMRP sizes this product's buffer with, if one is chosen.</summary>
    public Guid? BufferProfileId { get; set; }

    public BufferProfile? BufferProfile { get; set; }

    public List<ProductSupplier> Suppliers { get; set; } = [];

    /// <summary>The decoupled lead time in days when it is not the primary supplier's (e.g. a made item).</summary>
    public int? LeadTimeOverrideDays { get; set; }

    /// <summary>Days between orders the planner wants at least (DDMRP's imposed or desired order cycle); 0: none.</summary>
    public int OrderCycleDays { get; set; }

    /// <summary>Decimal places the unit is counted in (0: whole units); buffers round to it.</summary>
    public int UnitPrecision { get; set; }

    /// <summary>Planned changes of demand (promotions, seasons): the ADU is multiplied by a factor within its period.</summary>
    public List<DemandAdjustment> DemandAdjustments { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's row version (xmin): the ETag, and the guard against lost updates.</summary>
    public uint Version { get; set; }
}
