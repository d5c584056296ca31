using System.ComponentModel.DataAnnotations;

namespace Giia.Auth.Tokens;

/// <summary>Token settings (<c>Giia:Jwt</c>).</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Giia:Jwt";

    [Required(ErrorMessage = "is required (the iss claim)")]
    public string Issuer { get; set; } = "giia-auth";

    [Required(ErrorMessage = "is required (the aud claim)")]
    public string Audience { get; set; } = "giia";

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan VerificationTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan PasswordResetTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// ES256 signing keys, newest first: the first signs, all validate (rotation keeps the previous key valid until the
    /// tokens it signed have expired). From the secret store outside development.
    /// </summary>
    public List<SigningKeyOptions> SigningKeys { get; set; } = [];

    /// <summary>Development only: where to keep a generated key when <see cref="SigningKeys"/> is empty.</summary>
    public string? DevelopmentKeyFile { get; set; }
}

public sealed class SigningKeyOptions
{
    [Required(ErrorMessage = "is required (the kid)")]
    public string KeyId { get; set; } = "";

    /// <summary>The EC P-256 private key, PEM (PKCS#8 or SEC1).</summary>
    [Required(ErrorMessage = "is required (a P-256 private key in PEM)")]
    public string PrivateKeyPem { get; set; } = "";
}
