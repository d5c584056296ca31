namespace Giia.Catalog.Common;

/// <summary>
/// A catalog operation's refusal, as the domain states it: what kind of refusal, a title and a detail for people,
/// the invalid fields (for <see cref="RefusalKind.Invalid"/>) and the missing row (for <see cref="RefusalKind.NotFound"/>).
/// Transports translate it (problem+json, gRPC status) and nothing else.
/// </summary>
public sealed record CatalogRefusal(RefusalKind Kind, string Title, string Detail)
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    /// <summary>The invalid fields and their messages, in the order found; empty unless <see cref="RefusalKind.Invalid"/>.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; init; } = NoErrors;

    /// <summary>What was not found (e.g. <c>Buffer profile</c>); null unless <see cref="RefusalKind.NotFound"/>.</summary>
    public string? Subject { get; init; }

    /// <summary>The id that was not found; null unless <see cref="RefusalKind.NotFound"/>.</summary>
    public Guid? Id { get; init; }

    /// <summary>No <paramref name="kind"/> with this id in the caller's organization.</summary>
    public static CatalogRefusal NotFound(string kind, Guid id) => NotFound(kind, id, $"No {kind.ToLowerInvariant()} {id} in your organization.");

    public static CatalogRefusal NotFound(string kind, Guid id, string detail) =>
        new(RefusalKind.NotFound, $"{kind} not found", detail) { Subject = kind, Id = id };

    public static CatalogRefusal Stale() => new(RefusalKind.Stale, "Changed since you read it",
        "The resource was changed by someone else; read it again and reapply your change.");

    public static CatalogRefusal PreconditionRequired() => new(RefusalKind.PreconditionRequired, "If-Match required",
        "Send the ETag of the version you are changing in If-Match (read it from GET).");

    public static CatalogRefusal Conflict(string title, string detail) => new(RefusalKind.Conflict, title, detail);

    public static CatalogRefusal Invalid(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(RefusalKind.Invalid, "Invalid request", "One or more fields are invalid.")
        {
            Errors = new Dictionary<string, string[]>(errors),
        };
    }
}
