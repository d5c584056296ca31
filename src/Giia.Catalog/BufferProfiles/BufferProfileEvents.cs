using Giia.Catalog.Common;
using Giia.Events.Contracts;

namespace Giia.Catalog.BufferProfiles;

/// <summary>The buffer profile events as Catalog publishes them, with the parameters the buffer engine keeps a copy of.</summary>
internal static class BufferProfileEvents
{
    public static BufferProfileCreated Created(BufferProfile b, DateTimeOffset at) => new(b.Id, b.OrganizationId, b.Name,
        CatalogNames.Lower(b.AduMethod), b.LeadTimeFactor, b.VariabilityFactor, CatalogNames.Lower(b.Status), at, ParametersOf(b));

    public static BufferProfileUpdated Updated(BufferProfile b, DateTimeOffset at) => new(b.Id, b.OrganizationId, b.Name,
        CatalogNames.Lower(b.AduMethod), b.LeadTimeFactor, b.VariabilityFactor, CatalogNames.Lower(b.Status), at, ParametersOf(b));

    public static BufferProfileDeleted Deleted(BufferProfile b, DateTimeOffset at) => new(b.Id, b.OrganizationId, b.Name, at);

    private static BufferProfileParameters ParametersOf(BufferProfile b) => new(b.AduHorizonDays, b.AduForwardHorizonDays, b.AduAlpha,
        b.AduPastWeight, b.AduForwardWeight, b.SpikeThresholdPercent, b.SpikeHorizonDays);
}
