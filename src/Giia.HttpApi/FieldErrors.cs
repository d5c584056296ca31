using System.Globalization;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.HttpApi;

/// <summary>
/// Collects field errors for a 400 validation problem (RFC 9457) that names each field. The rules here are the
/// whole service's: text without control characters, the shared email rule, decimals that fit their column,
/// timestamps in range, so no value the API accepts is later refused by PostgreSQL or an event schema.
/// </summary>
public sealed class FieldErrors
{
    /// <summary>The earliest and latest timestamps accepted from clients (filters and bodies).</summary>
    public static readonly DateTimeOffset MinTimestamp = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset MaxTimestamp = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string[]> errors = [];

    public bool Any => errors.Count > 0;

    public IReadOnlyDictionary<string, string[]> Errors => errors;

    public FieldErrors Email(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"{field} is required.");
        }

        return EmailAddresses.IsValid(value.Trim()) ? this : Add(field, $"{field} is not a valid email address.");
    }

    /// <summary>A required single-line text of at most <paramref name="maxLength"/> characters.</summary>
    public FieldErrors Text(string field, string? value, int maxLength, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"{field} is required.");
        }

        return Fits(field, value, maxLength, multiline);
    }

    /// <summary>An optional text (a body field or a query value): absent is fine, present must fit.</summary>
    public FieldErrors OptionalText(string field, string? value, int maxLength, bool multiline = false) =>
        value is null ? this : Fits(field, value, maxLength, multiline);

    /// <summary>An optional email address: absent is fine, present must be valid.</summary>
    public FieldErrors OptionalEmail(string field, string? value) => string.IsNullOrEmpty(value) ? this : Email(field, value);

    public FieldErrors Required<T>(string field, T? value) where T : struct =>
        value is null ? Add(field, $"{field} is required.") : this;

    public FieldErrors Range(string field, decimal? value, decimal min, decimal max) =>
        value is { } v && (v < min || v > max) ? Add(field, $"{field} must be between {min} and {max}.") : this;

    /// <summary>A strictly positive number up to <paramref name="max"/>.</summary>
    public FieldErrors Positive(string field, decimal? value, decimal max) =>
        value is { } v && (v <= 0 || v > max) ? Add(field, $"{field} must be greater than 0 and at most {max}.") : this;

    /// <summary>
    /// A decimal that a <c>numeric(precision, scale)</c> column stores exactly: no more than <paramref name="scale"/>
    /// decimals (PostgreSQL would round them away, silently or into a check constraint) and no more integer digits
    /// than the column holds.
    /// </summary>
    public FieldErrors FitsColumn(string field, decimal? value, int precision, int scale)
    {
        if (value is not { } v)
        {
            return this;
        }

        if (decimal.Round(v, scale) != v)
        {
            return Add(field, $"{field} must have at most {scale} decimal places.");
        }

        var limit = Pow10(precision - scale);
        return Math.Abs(v) >= limit ? Add(field, $"{field} must be less than {limit.ToString(CultureInfo.InvariantCulture)} in magnitude.") : this;
    }

    /// <summary>One of the allowed values (case-sensitive, as documented), when given.</summary>
    public FieldErrors OneOf(string field, string? value, IReadOnlyCollection<string> allowed) =>
        value is not null && !allowed.Contains(value) ? Add(field, $"{field} must be one of: {string.Join(", ", allowed)}.") : this;

    /// <summary>An optional timestamp within the accepted range (any offset; store it with <see cref="Utc"/>).</summary>
    public FieldErrors Timestamp(string field, DateTimeOffset? value) =>
        value is { } v && (v < MinTimestamp || v > MaxTimestamp)
            ? Add(field, $"{field} must be between {MinTimestamp:yyyy-MM-dd} and {MaxTimestamp:yyyy-MM-dd}.")
            : this;

    /// <summary>A timestamp normalized to UTC: PostgreSQL's <c>timestamptz</c> takes offset zero only.</summary>
    public static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    public FieldErrors Add(string field, string message)
    {
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    public ValidationProblem Problem() => TypedResults.ValidationProblem(errors);

    private FieldErrors Fits(string field, string value, int maxLength, bool multiline)
    {
        if (value.Length > maxLength)
        {
            return Add(field, $"{field} must be at most {maxLength} characters.");
        }

        return TextRules.HasForbiddenCharacters(value, multiline) ? Add(field, $"{field} must not contain control characters.") : this;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
