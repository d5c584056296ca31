namespace Giia.Catalog.Common;

/// <summary>The documented lower-case names of the catalog's enums (statuses, ADU methods) and their parsing.</summary>
public static class CatalogNames
{
    public static string Lower(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToString().ToLowerInvariant();
    }

    /// <summary>Maps a documented lower-case value (e.g. <c>active</c>) to its enum; anything else is null.</summary>
    public static TEnum? ParseEnum<TEnum>(string? value) where TEnum : struct, Enum =>
        value is not null && Names<TEnum>().Contains(value) ? Enum.Parse<TEnum>(value, ignoreCase: true) : null;

    public static string[] Names<TEnum>() where TEnum : struct, Enum => [.. Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant())];
}
