namespace Giia.Auth.Outcomes;

/// <summary>
/// An operation that was not done, and why: its kind, a title and a detail for the caller. <see cref="Errors"/> names
/// the inputs at fault, each with its messages (answered as a validation problem naming them); <see cref="RetryAfter"/>
/// goes with <see cref="RefusalKind.Locked"/>.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null,
    TimeSpan? RetryAfter = null)
{
    public static Refusal Invalid(string title, string detail) => new(RefusalKind.Invalid, title, detail);

    /// <summary>A wrong field: answered as a validation problem naming <paramref name="field"/>.</summary>
    public static Refusal InvalidField(string field, string message) =>
        InvalidFields(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Wrong fields, each with its messages: answered as a validation problem naming them all.</summary>
    public static Refusal InvalidFields(IReadOnlyDictionary<string, string[]> errors) =>
        new(RefusalKind.Invalid, "One or more validation errors occurred.", string.Join(" ", errors.Values.SelectMany(m => m)), errors);

    public static Refusal Unauthorized(string detail) => new(RefusalKind.Unauthorized, "Unauthorized", detail);

    public static Refusal Forbidden(string title, string detail) => new(RefusalKind.Forbidden, title, detail);

    public static Refusal NotFound(string title, string detail) => new(RefusalKind.NotFound, title, detail);

    public static Refusal Conflict(string title, string detail) => new(RefusalKind.Conflict, title, detail);
}
