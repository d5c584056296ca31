namespace Giia.Catalog.Common;

/// <summary>A list filter by the documented lower-case status (e.g. <c>active</c>); null means any.</summary>
public sealed record StatusFilter(string? Status);
