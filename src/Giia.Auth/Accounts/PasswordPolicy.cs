using Giia.HttpApi;

using Microsoft.Extensions.Options;

namespace Giia.Auth.Accounts;

/// <summary>Length limits and a list of common passwords (embedded), checked before anything is hashed or stored.</summary>
public sealed class PasswordPolicy
{
    private static readonly HashSet<string> Common = LoadCommon();
    private readonly PasswordOptions settings;

    public PasswordPolicy(IOptions<PasswordOptions> options) => settings = options.Value;

    /// <summary>Why the password is refused, or null when it is acceptable.</summary>
    public string? Check(string? password, string? email = null)
    {
        if (string.IsNullOrEmpty(password) || password.Length < settings.MinLength)
        {
            return $"must be at least {settings.MinLength} characters";
        }

        if (password.Length > settings.MaxLength)
        {
            return $"must be at most {settings.MaxLength} characters";
        }

        if (Common.Contains(password.ToLowerInvariant()))
        {
            return "is too common; choose another";
        }

        if (email is not null && string.Equals(password, email, StringComparison.OrdinalIgnoreCase))
        {
            return "must not be the email address";
        }

        return null;
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("Giia.Auth.common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }
}

public static class PasswordFieldErrors
{
    public static FieldErrors Password(this FieldErrors errors, string field, string? value, PasswordPolicy policy, string? email)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Check(value, email) is { } problem ? errors.Add(field, $"{field} {problem}.") : errors;
    }
}
