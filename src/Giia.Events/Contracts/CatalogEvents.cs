namespace Giia.Events.Contracts;

/// <param name="BufferTerms">What the buffer engine calculates the product's buffer with (added; absent from older events).</param>
[GiiaEvent("product.created")]
public sealed record ProductCreated(Guid ProductId, Guid OrganizationId, string Sku, string Name, string? Category,
    string UnitOfMeasure, decimal StandardCost, string Status, Guid? BufferProfileId, DateTimeOffset CreatedAt,
    ProductBufferTerms? BufferTerms = null);

/// <param name="BufferTerms">What the buffer engine calculates the product's buffer with (added; absent from older events).</param>
[GiiaEvent("product.updated")]
public sealed record ProductUpdated(Guid ProductId, Guid OrganizationId, string Sku, string Name, string? Category,
    string UnitOfMeasure, decimal StandardCost, string Status, Guid? BufferProfileId, DateTimeOffset UpdatedAt,
    ProductBufferTerms? BufferTerms = null);

/// <summary>A product's own DDMRP parameters: lead-time override, order cycle, unit precision and demand adjustments.</summary>
public sealed record ProductBufferTerms(int? LeadTimeOverrideDays, int OrderCycleDays, int UnitPrecision,
    IReadOnlyList<DemandAdjustmentPeriod> DemandAdjustments);

/// <summary>A factor applied to the ADU from one day to another, both inclusive.</summary>
public sealed record DemandAdjustmentPeriod(DateOnly From, DateOnly To, decimal Factor);

[GiiaEvent("product.deleted")]
public sealed record ProductDeleted(Guid ProductId, Guid OrganizationId, string Sku, DateTimeOffset DeletedAt);

[GiiaEvent("supplier.created")]
public sealed record SupplierCreated(Guid SupplierId, Guid OrganizationId, string Code, string Name, int DefaultLeadTime,
    string Status, DateTimeOffset CreatedAt);

[GiiaEvent("supplier.updated")]
public sealed record SupplierUpdated(Guid SupplierId, Guid OrganizationId, string Code, string Name, int DefaultLeadTime,
    string Status, DateTimeOffset UpdatedAt);

[GiiaEvent("supplier.deleted")]
public sealed record SupplierDeleted(Guid SupplierId, Guid OrganizationId, string Code, DateTimeOffset DeletedAt);

/// <param name="Parameters">The ADU and spike parameters (added; absent from older events).</param>
[GiiaEvent("buffer_profile.created")]
public sealed record BufferProfileCreated(Guid BufferProfileId, Guid OrganizationId, string Name, string AduMethod,
    decimal LeadTimeFactor, decimal VariabilityFactor, string Status, DateTimeOffset CreatedAt,
    BufferProfileParameters? Parameters = null);

/// <param name="Parameters">The ADU and spike parameters (added; absent from older events).</param>
[GiiaEvent("buffer_profile.updated")]
public sealed record BufferProfileUpdated(Guid BufferProfileId, Guid OrganizationId, string Name, string AduMethod,
    decimal LeadTimeFactor, decimal VariabilityFactor, string Status, DateTimeOffset UpdatedAt,
    BufferProfileParameters? Parameters = null);

/// <summary>A buffer profile's ADU horizons and weights and its order-spike threshold and horizon (null: the DLT).</summary>
public sealed record BufferProfileParameters(int AduHorizonDays, int AduForwardHorizonDays, decimal AduAlpha, decimal AduPastWeight,
    decimal AduForwardWeight, decimal SpikeThresholdPercent, int? SpikeHorizonDays);

[GiiaEvent("buffer_profile.deleted")]
public sealed record BufferProfileDeleted(Guid BufferProfileId, Guid OrganizationId, string Name, DateTimeOffset DeletedAt);

/// <summary>A supplier became a source of a product, on these terms (the buffer engine reads lead time, MOQ and multiple).</summary>
[GiiaEvent("product.supplier_linked")]
public sealed record ProductSupplierLinked(Guid ProductId, Guid OrganizationId, Guid SupplierId, int LeadTimeDays, decimal UnitCost,
    decimal MinimumOrderQuantity, decimal OrderMultiple, bool IsPrimary, DateTimeOffset LinkedAt);

/// <summary>A product's terms with a supplier changed, including a primary link stepping down for another.</summary>
[GiiaEvent("product.supplier_link_updated")]
public sealed record ProductSupplierLinkUpdated(Guid ProductId, Guid OrganizationId, Guid SupplierId, int LeadTimeDays, decimal UnitCost,
    decimal MinimumOrderQuantity, decimal OrderMultiple, bool IsPrimary, DateTimeOffset UpdatedAt);

[GiiaEvent("product.supplier_unlinked")]
public sealed record ProductSupplierUnlinked(Guid ProductId, Guid OrganizationId, Guid SupplierId, bool WasPrimary, DateTimeOffset UnlinkedAt);
