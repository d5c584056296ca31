using System.Net;
using System.Security.Cryptography;
using System.Text;

using Giia.Auth.Grpc.V1;
using Giia.Tests.Infrastructure;

using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Giia.Tests.Auth;

/// <summary>
/// Forged and damaged tokens are refused by ValidateToken (valid=false, not an RPC error) and by the REST API (401).
/// The tests sign with Auth's own development key where a valid signature is needed, so each rule is tested alone.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class TokenAttackTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Each_kind_of_bad_token_is_rejected_while_a_well_formed_one_is_accepted()
    {
        using var auth = new AuthApi(fixture);
        var (account, tokens) = await auth.RegisterVerifiedAsync();
        using var development = await DevelopmentTokens.LoadAsync(fixture);
        var now = DateTime.UtcNow;
        var session = Guid.Parse(new JsonWebToken(tokens.AccessToken).GetClaim("sid").Value);
        string Forge(Action<SecurityTokenDescriptor>? change = null, SigningCredentials? credentials = null) =>
            development.Create(account.UserId, account.OrganizationId, session, change, credentials, now);

        // The harness forges a token Auth accepts, so every rejection below is due to the one thing changed.
        Assert.True((await ValidateAsync(Forge())).Valid);
        Assert.True((await ValidateAsync(tokens.AccessToken)).Valid);

        var publicKeyBytes = Encoding.UTF8.GetBytes(development.PublicKeyPem);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var valid = Forge();
        var parts = valid.Split('.');
        // The same claims but another organization, under the original signature.
        var claims = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace(account.OrganizationId.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal);
        var bad = new Dictionary<string, string>
        {
            ["alg none"] = $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""")}.{parts[1]}.",
            ["HS256 signed with the public key"] = Forge(credentials: new SigningCredentials(new SymmetricSecurityKey(publicKeyBytes), SecurityAlgorithms.HmacSha256)),
            ["expired"] = Forge(d => { d.IssuedAt = now.AddHours(-2); d.NotBefore = now.AddHours(-2); d.Expires = now.AddHours(-1); }),
            ["not yet valid"] = Forge(d => { d.NotBefore = now.AddHours(1); d.Expires = now.AddHours(2); }),
            ["wrong issuer"] = Forge(d => d.Issuer = "someone-else"),
            ["wrong audience"] = Forge(d => d.Audience = "another-api"),
            ["wrong token type"] = Forge(d => d.TokenType = "JWT"),
            ["tampered payload"] = $"{parts[0]}.{Base64UrlEncoder.Encode(claims)}.{parts[2]}",
            ["unknown kid"] = Forge(credentials: new SigningCredentials(new ECDsaSecurityKey(stranger) { KeyId = "unknown" }, SecurityAlgorithms.EcdsaSha256)),
            ["refresh token used as access token"] = tokens.RefreshToken,
            ["garbage"] = "not.a.token",
            ["no session"] = Forge(d => d.Claims.Remove("sid")),
            ["a session that never existed"] = development.Create(account.UserId, account.OrganizationId, Guid.NewGuid(), now: now),
        };
        foreach (var (what, token) in bad)
        {
            var reply = await ValidateAsync(token);
            Assert.False(reply.Valid, $"ValidateToken accepted: {what}");
            Assert.False(string.IsNullOrEmpty(reply.Error), $"no error text for: {what}");

            using var me = await auth.GetAsync("/api/users/me", token);
            Assert.True(me.StatusCode == HttpStatusCode.Unauthorized, $"REST accepted ({(int)me.StatusCode}): {what}");
        }
    }

    private async Task<ValidateTokenResponse> ValidateAsync(string token)
    {
        using var channel = fixture.CreateGrpcChannel("auth");
        return await new AuthService.AuthServiceClient(channel).ValidateTokenAsync(new ValidateTokenRequest { Token = token });
    }
}
