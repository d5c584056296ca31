using Giia.Catalog.Common;
using Giia.Events.Contracts;

namespace Giia.Catalog.Suppliers;

/// <summary>The supplier events as Catalog publishes them.</summary>
internal static class SupplierEvents
{
    public static SupplierCreated Created(Supplier s, DateTimeOffset at) =>
        new(s.Id, s.OrganizationId, s.Code, s.Name, s.DefaultLeadTimeDays, CatalogNames.Lower(s.Status), at);

    public static SupplierUpdated Updated(Supplier s, DateTimeOffset at) =>
        new(s.Id, s.OrganizationId, s.Code, s.Name, s.DefaultLeadTimeDays, CatalogNames.Lower(s.Status), at);

    public static SupplierDeleted Deleted(Supplier s, DateTimeOffset at) => new(s.Id, s.OrganizationId, s.Code, at);
}
