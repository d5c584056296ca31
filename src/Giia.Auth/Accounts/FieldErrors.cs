using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Auth.Accounts;

/// <summary>Collects field errors for a 400 validation problem (RFC 9457) that names each field.</summary>
public sealed partial class FieldErrors
{
    private readonly Dictionary<string, string[]> errors = [];

    public bool Any => errors.Count > 0;

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

    public FieldErrors Password(string field, string? value, PasswordPolicy policy, string? email) =>
        policy.Check(value, email) is { } problem ? Add(field, $"{field} {problem}.") : this;

    public FieldErrors Add(string field, string message)
    {
        errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        return this;
    }

    public ValidationProblem Problem() => TypedResults.ValidationProblem(errors);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
