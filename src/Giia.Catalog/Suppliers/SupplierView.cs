namespace Giia.Catalog.Suppliers;

public sealed record SupplierView(Guid Id, string Code, string Name, string? ContactName, string? ContactEmail, string? ContactPhone,
    int DefaultLeadTimeDays, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string ETag);
