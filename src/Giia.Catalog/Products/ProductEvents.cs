using Giia.Catalog.Common;
using Giia.Events.Contracts;

namespace Giia.Catalog.Products;

/// <summary>The product events as Catalog publishes them, with the buffer terms the buffer engine keeps a copy of.</summary>
internal static class ProductEvents
{
    public static ProductCreated Created(Product p, DateTimeOffset at) => new(p.Id, p.OrganizationId, p.Sku, p.Name, p.Category,
        p.UnitOfMeasure, p.StandardCost, CatalogNames.Lower(p.Status), p.BufferProfileId, at, BufferTermsOf(p));

    public static ProductUpdated Updated(Product p, DateTimeOffset at) => new(p.Id, p.OrganizationId, p.Sku, p.Name, p.Category,
        p.UnitOfMeasure, p.StandardCost, CatalogNames.Lower(p.Status), p.BufferProfileId, at, BufferTermsOf(p));

    public static ProductDeleted Deleted(Product p, DateTimeOffset at) => new(p.Id, p.OrganizationId, p.Sku, at);

    private static ProductBufferTerms BufferTermsOf(Product p) => new(p.LeadTimeOverrideDays, p.OrderCycleDays, p.UnitPrecision,
        [.. p.DemandAdjustments.Select(a => new DemandAdjustmentPeriod(a.From, a.To, a.Factor))]);
}
