namespace Giia.Catalog.BufferProfiles;

public enum BufferProfileStatus
{
    Active,
    Inactive,
}
