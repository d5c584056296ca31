using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.ServiceDefaults;

/// <summary>Collects field errors for a 400 validation problem (RFC 9457) that names each field.</summary>
public sealed partial class FieldErrors
{
    private readonly Dictionary<string, string[]> errors = [];

    public bool Any => errors.Count > 0;

    public IReadOnlyDictionary<string, string[]> Errors => errors;

    public FieldErrors Email(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"{field} is required.");
        }

        return value.Length > 254 || !EmailPattern().IsMatch(value.Trim()) ? Add(field, $"{field} is not a valid email address.") : this;
    }

    public FieldErrors Text(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"{field} is required.");
        }

        return value.Length > maxLength ? Add(field, $"{field} must be at most {maxLength} characters.") : this;
    }

    /// <summary>An optional text: absent is fine, present must fit.</summary>
    public FieldErrors OptionalText(string field, string? value, int maxLength) =>
        value is not null && value.Length > maxLength ? Add(field, $"{field} must be at most {maxLength} characters.") : this;

    /// <summary>An optional email address: absent is fine, present must be valid.</summary>
    public FieldErrors OptionalEmail(string field, string? value) => string.IsNullOrEmpty(value) ? this : Email(field, value);

    public FieldErrors Required<T>(string field, T? value) where T : struct =>
        value is null ? Add(field, $"{field} is required.") : this;

    public FieldErrors Range(string field, decimal? value, decimal min, decimal max) =>
        value is { } v && (v < min || v > max) ? Add(field, $"{field} must be between {min} and {max}.") : this;

    /// <summary>A strictly positive number up to <paramref name="max"/>.</summary>
    public FieldErrors Positive(string field, decimal? value, decimal max) =>
        value is { } v && (v <= 0 || v > max) ? Add(field, $"{field} must be greater than 0 and at most {max}.") : this;

    /// <summary>One of the allowed values (case-sensitive, as documented), when given.</summary>
    public FieldErrors OneOf(string field, string? value, IReadOnlyCollection<string> allowed) =>
        value is not null && !allowed.Contains(value) ? Add(field, $"{field} must be one of: {string.Join(", ", allowed)}.") : this;

    public FieldErrors Add(string field, string message)
    {
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    public ValidationProblem Problem() => TypedResults.ValidationProblem(errors);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
