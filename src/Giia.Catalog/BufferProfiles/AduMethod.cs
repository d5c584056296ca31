namespace Giia.Catalog.BufferProfiles;

public enum AduMethod
{
    Average,
    Exponential,
    Weighted,
    Forward,
    Blended,
}
