using Giia.Catalog.Common;

namespace Giia.Catalog.Suppliers;

/// <summary>A company an organization buys from; its code is unique within the organization.</summary>
public sealed class Supplier : ICatalogEntity
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public string? ContactName { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    /// <summary>Days from order to receipt unless a product's link says otherwise.</summary>
    public int DefaultLeadTimeDays { get; set; }

    public SupplierStatus Status { get; set; } = SupplierStatus.Active;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint Version { get; set; }
}
