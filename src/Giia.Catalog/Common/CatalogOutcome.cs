using System.Diagnostics.CodeAnalysis;

namespace Giia.Catalog.Common;

/// <summary>
/// What a catalog operation did: either its value (with the row version it has now, the ETag of REST) or a
/// <see cref="CatalogRefusal"/>. A refusal converts to an outcome of any value type.
/// </summary>
public sealed class CatalogOutcome<T>
{
    public CatalogOutcome(T value, uint version = 0)
    {
        Value = value;
        Version = version;
    }

    public CatalogOutcome(CatalogRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        Refusal = refusal;
    }

    /// <summary>The value; set when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>The row version of the value (0 for values that have none).</summary>
    public uint Version { get; }

    /// <summary>Why nothing was done; null when <see cref="Succeeded"/>.</summary>
    public CatalogRefusal? Refusal { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Succeeded => Refusal is null;

    public static implicit operator CatalogOutcome<T>(CatalogRefusal refusal) => new(refusal);
}
