using System.Globalization;

namespace Giia.Catalog.Common;

/// <summary>Row versions as entity tags, and the If-Match precondition a change is based on.</summary>
public static class ETags
{
    public static string Of(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Checks the If-Match value a change names against the row's current version: null when it matches (or is
    /// <c>*</c>), a refusal when it is missing (changes require it, so that two editors working from the same copy
    /// cannot silently overwrite each other) or names another version.
    /// </summary>
    public static CatalogRefusal? Check(string? ifMatch, uint current)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return CatalogRefusal.PreconditionRequired();
        }

        var tags = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return tags.Contains("*") || tags.Contains(Of(current)) ? null : CatalogRefusal.Stale();
    }
}
