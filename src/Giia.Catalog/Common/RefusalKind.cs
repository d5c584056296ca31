namespace Giia.Catalog.Common;

/// <summary>Why a catalog operation did not do what it was asked.</summary>
public enum RefusalKind
{
    /// <summary>The row is absent, or another organization's.</summary>
    NotFound,

    /// <summary>The row changed since the version the caller named (or concurrently with the write).</summary>
    Stale,

    /// <summary>The change contradicts other rows: a taken key, a row still in use, a reference deleted meanwhile.</summary>
    Conflict,

    /// <summary>Fields of the request are invalid; <see cref="CatalogRefusal.Errors"/> names them.</summary>
    Invalid,

    /// <summary>The change must name the version it is based on, and did not.</summary>
    PreconditionRequired,
}
