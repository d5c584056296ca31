using System.Globalization;

using Giia.Catalog.Common;
using Giia.Catalog.Grpc.V1;

using Google.Protobuf.WellKnownTypes;

using BufferProfileMessage = Giia.Catalog.Grpc.V1.BufferProfile;
using ProductMessage = Giia.Catalog.Grpc.V1.Product;
using SupplierMessage = Giia.Catalog.Grpc.V1.Supplier;

namespace Giia.Catalog.Grpc;

/// <summary>Catalog rows as <c>catalog.v1</c> messages.</summary>
internal static class CatalogMessages
{
    public static ProductMessage Message(Products.Product p)
    {
        var message = BaseMessage(p);
        if (p.LeadTimeOverrideDays is { } days)
        {
            message.LeadTimeOverrideDays = days;
        }

        message.DemandAdjustments.AddRange(p.DemandAdjustments.Select(a => new Giia.Catalog.Grpc.V1.DemandAdjustment
        {
            From = a.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            To = a.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Factor = (double)a.Factor,
        }));
        message.Suppliers.AddRange(p.Suppliers.OrderByDescending(l => l.IsPrimary).ThenBy(l => l.SupplierId).Select(l => new ProductSupplierLink
        {
            SupplierId = l.SupplierId.ToString(),
            LeadTimeDays = l.LeadTimeDays,
            UnitCost = (double)l.UnitCost,
            MinimumOrderQuantity = (double)l.MinimumOrderQuantity,
            OrderMultiple = (double)l.OrderMultiple,
            IsPrimary = l.IsPrimary,
            SupplierDefaultLeadTime = l.Supplier?.DefaultLeadTimeDays ?? 0,
        }));
        return message;
    }

    private static ProductMessage BaseMessage(Products.Product p) => new()
    {
        Id = p.Id.ToString(),
        OrganizationId = p.OrganizationId.ToString(),
        Sku = p.Sku,
        Name = p.Name,
        Description = p.Description ?? "",
        Category = p.Category ?? "",
        UnitOfMeasure = p.UnitOfMeasure,
        StandardCost = (double)p.StandardCost,
        Status = CatalogNames.Lower(p.Status),
        CreatedAt = Timestamp.FromDateTimeOffset(p.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(p.UpdatedAt),
        BufferProfileId = p.BufferProfileId?.ToString() ?? "",
        OrderCycleDays = p.OrderCycleDays,
        UnitPrecision = p.UnitPrecision,
    };

    public static SupplierMessage Message(Suppliers.Supplier s) => new()
    {
        Id = s.Id.ToString(),
        OrganizationId = s.OrganizationId.ToString(),
        Code = s.Code,
        Name = s.Name,
        ContactName = s.ContactName ?? "",
        ContactEmail = s.ContactEmail ?? "",
        ContactPhone = s.ContactPhone ?? "",
        DefaultLeadTime = s.DefaultLeadTimeDays,
        Status = CatalogNames.Lower(s.Status),
        CreatedAt = Timestamp.FromDateTimeOffset(s.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(s.UpdatedAt),
    };

    public static BufferProfileMessage Message(BufferProfiles.BufferProfile b)
    {
        var message = BaseMessage(b);
        if (b.SpikeHorizonDays is { } days)
        {
            message.SpikeHorizonDays = days;
        }

        return message;
    }

    private static BufferProfileMessage BaseMessage(BufferProfiles.BufferProfile b) => new()
    {
        Id = b.Id.ToString(),
        OrganizationId = b.OrganizationId.ToString(),
        Name = b.Name,
        AduMethod = CatalogNames.Lower(b.AduMethod),
        LeadTimeFactor = (double)b.LeadTimeFactor,
        VariabilityFactor = (double)b.VariabilityFactor,
        AduHorizonDays = b.AduHorizonDays,
        AduForwardHorizonDays = b.AduForwardHorizonDays,
        AduAlpha = (double)b.AduAlpha,
        AduPastWeight = (double)b.AduPastWeight,
        AduForwardWeight = (double)b.AduForwardWeight,
        SpikeThresholdPercent = (double)b.SpikeThresholdPercent,
        Status = CatalogNames.Lower(b.Status),
        CreatedAt = Timestamp.FromDateTimeOffset(b.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(b.UpdatedAt),
    };
}
