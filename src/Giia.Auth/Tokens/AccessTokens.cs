using System.Security.Claims;

using Giia.Auth.Accounts;

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Giia.Auth.Tokens;

/// <summary>Issues and validates ES256 access tokens.</summary>
public sealed class AccessTokens(SigningKeys keys, IOptions<JwtOptions> options, TimeProvider time) : IDisposable
{
    private readonly JwtOptions settings = options.Value;
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public (string Token, DateTimeOffset ExpiresAt) Issue(User user, IReadOnlyCollection<string> roles, Guid sessionId, DateTimeOffset? sessionEnd = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = time.GetUtcNow();
        var expires = now + settings.AccessTokenLifetime;
        if (sessionEnd is { } end && end < expires)
        {
            expires = end;
        }
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = user.Id.ToString(),
            [Claims.OrganizationId] = user.OrganizationId.ToString(),
            [Claims.Email] = user.Email,
            [Claims.Roles] = roles.ToArray(),
            [Claims.SessionId] = sessionId.ToString(),
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
        };
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = keys.Credentials,
            TokenType = Claims.AccessTokenType,
        });
        return (token, expires);
    }

    /// <summary>
    /// The same rules every service applies (see <see cref="Parameters"/>). A token that passed is remembered for up to
    /// a minute (never past its expiry), so a caller's every gRPC call does not pay for a signature check: the answer
    /// could only change by the key being withdrawn, which a minute bounds. Failures are never remembered.
    /// </summary>
    public async Task<TokenValidationResult> ValidateAsync(string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 8192)
        {
            return new TokenValidationResult { IsValid = false, Exception = new SecurityTokenMalformedException("token is empty or too long") };
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (validated.TryGetValue(token, out Remembered? remembered) && remembered is not null && now < remembered.Until)
        {
            return remembered.Result;
        }

        var result = await handler.ValidateTokenAsync(token, Parameters(settings.Issuer, settings.Audience, keys.All));
        var until = result.IsValid && result.SecurityToken.ValidTo < now.AddMinutes(1) ? result.SecurityToken.ValidTo : now.AddMinutes(1);
        if (result.IsValid && until > now)
        {
            // Bounded: past MaxRememberedTokens the cache evicts rather than grows; each entry ends at its own time.
            validated.Set(token, new Remembered(result, until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = until - now });
        }

        return result;
    }

    private const int MaxRememberedTokens = 50_000;

    private sealed record Remembered(TokenValidationResult Result, DateTime Until);

    private readonly MemoryCache validated = new(new MemoryCacheOptions { SizeLimit = MaxRememberedTokens });

    public void Dispose() => validated.Dispose();

    /// <summary>
    /// Signature by a known key, ES256 only (no <c>none</c>, no HMAC made with a public key), <c>exp</c> and <c>nbf</c>
    /// with 30 s of skew, issuer, audience and token type.
    /// </summary>
    public static TokenValidationParameters Parameters(string issuer, string audience, IEnumerable<SecurityKey>? keys) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        ValidTypes = [Claims.AccessTokenType],
        IssuerSigningKeys = keys,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = JwtRegisteredClaimNames.Sub,
        RoleClaimType = Claims.Roles,
    };
}
