using System.Security.Cryptography;

using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Giia.Tests.Infrastructure;

/// <summary>
/// Signs access tokens with Auth's development key (the file the AppHost generates), the way Auth does: for tests of
/// token handling and for load runs that need many users' tokens without as many sign-ins.
/// </summary>
public sealed class DevelopmentTokens : IDisposable
{
    private readonly ECDsa signingKey;

    private DevelopmentTokens(ECDsa signingKey, ECDsaSecurityKey key)
    {
        this.signingKey = signingKey;
        Key = key;
    }

    public ECDsaSecurityKey Key { get; }

    /// <summary>The key's public half, PEM encoded.</summary>
    public string PublicKeyPem => signingKey.ExportSubjectPublicKeyInfoPem();

    public static async Task<DevelopmentTokens> LoadAsync(GiiaAppFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var pem = await File.ReadAllTextAsync(fixture.SigningKeyFile);
        var signingKey = ECDsa.Create();
        signingKey.ImportFromPem(pem);
        var keyId = "dev-" + Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(fixture.SigningKeyFile)))[..8].ToLowerInvariant();
        return new DevelopmentTokens(signingKey, new ECDsaSecurityKey(signingKey) { KeyId = keyId });
    }

    /// <summary>
    /// A token Auth accepts for the user in a live session of theirs (<paramref name="sessionId"/>: Auth refuses a token
    /// without one), unless <paramref name="change"/> spoils it.
    /// </summary>
    public string Create(Guid userId, Guid organizationId, Guid sessionId, Action<SecurityTokenDescriptor>? change = null,
        SigningCredentials? credentials = null, DateTime? now = null)
    {
        var at = now ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = "giia-auth",
            Audience = "giia",
            IssuedAt = at,
            NotBefore = at,
            Expires = at.AddMinutes(15),
            TokenType = "at+jwt",
            Claims = new Dictionary<string, object>
            {
                ["sub"] = userId.ToString(),
                ["org_id"] = organizationId.ToString(),
                ["sid"] = sessionId.ToString(),
                ["jti"] = Guid.NewGuid().ToString(),
            },
            SigningCredentials = credentials ?? new SigningCredentials(Key, SecurityAlgorithms.EcdsaSha256),
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public void Dispose() => signingKey.Dispose();
}
