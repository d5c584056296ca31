namespace Giia.Catalog.Common;

/// <summary>What every catalog row has: its id, the organization that owns it, and its row version (the ETag).</summary>
public interface ICatalogEntity
{
    Guid Id { get; }

    Guid OrganizationId { get; }

    uint Version { get; }
}
