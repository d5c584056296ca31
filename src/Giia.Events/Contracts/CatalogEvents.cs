namespace Giia.Events.Contracts;

[GiiaEvent("product.created")]
public sealed record ProductCreated(Guid ProductId, Guid OrganizationId, string Sku, string Name, string? Category,
    string UnitOfMeasure, decimal StandardCost, string Status, Guid? BufferProfileId, DateTimeOffset CreatedAt);

[GiiaEvent("product.updated")]
public sealed record ProductUpdated(Guid ProductId, Guid OrganizationId, string Sku, string Name, string? Category,
    string UnitOfMeasure, decimal StandardCost, string Status, Guid? BufferProfileId, DateTimeOffset UpdatedAt);

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

[GiiaEvent("buffer_profile.created")]
public sealed record BufferProfileCreated(Guid BufferProfileId, Guid OrganizationId, string Name, string AduMethod,
    decimal LeadTimeFactor, decimal VariabilityFactor, string Status, DateTimeOffset CreatedAt);

[GiiaEvent("buffer_profile.updated")]
public sealed record BufferProfileUpdated(Guid BufferProfileId, Guid OrganizationId, string Name, string AduMethod,
    decimal LeadTimeFactor, decimal VariabilityFactor, string Status, DateTimeOffset UpdatedAt);

[GiiaEvent("buffer_profile.deleted")]
public sealed record BufferProfileDeleted(Guid BufferProfileId, Guid OrganizationId, string Name, DateTimeOffset DeletedAt);
