namespace Giia.Catalog.Products;

public sealed record ProductView(Guid Id, string Sku, string Name, string? Description, string? Category, string UnitOfMeasure,
    decimal StandardCost, string Status, Guid? BufferProfileId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string ETag,
    int? LeadTimeOverrideDays, int OrderCycleDays, int UnitPrecision, IReadOnlyList<DemandAdjustmentView> DemandAdjustments);
