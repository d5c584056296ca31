namespace Giia.HttpApi;

/// <summary>A page request as it arrives (1-based page). Out-of-range values are refused, never silently clamped.</summary>
public sealed record PageRequest(int? Page, int? PageSize)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The furthest row a page may start at; beyond it the offset would overflow (and no list is that long).</summary>
    public const int MaxOffset = 10_000_000;

    public int Number => Page ?? 1;

    public int Size => PageSize ?? DefaultPageSize;

    /// <summary>The rows before this page; only meaningful for a request that <see cref="Validate"/> accepted.</summary>
    public int Skip => (int)Math.Min((long)(Number - 1) * Size, MaxOffset);

    /// <summary>Field errors in the shape of a validation problem (empty when valid).</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Number < 1)
        {
            errors["page"] = ["page must be 1 or more."];
        }

        if (Size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        }
        else if (Number >= 1 && (long)(Number - 1) * Size > MaxOffset)
        {
            errors["page"] = [$"page is too large: at most {MaxOffset / Size + 1} for pageSize {Size}."];
        }

        return errors;
    }
}

/// <summary>One page of results with the total, for clients to page through.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total);
