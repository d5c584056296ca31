using Microsoft.Extensions.Options;

namespace Giia.Auth.Tokens;

/// <summary>The public keys and a minimal discovery document, so other services validate tokens with no shared secret.</summary>
public static class TokenEndpoints
{
    private static readonly string[] ResponseTypes = ["token"];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] SigningAlgorithms = ["ES256"];
    private static readonly string[] ClientAuthentication = ["none"];

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/.well-known/jwks.json", (SigningKeys keys, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Json(new { keys = keys.PublicJwks });
        }).WithTags("Tokens").WithName("Jwks")
            .WithSummary("Get the token signing keys")
            .WithDescription("The public keys (JWKS, ES256) that verify GIIA access tokens; cacheable for 5 minutes.");

        endpoints.MapGet("/.well-known/openid-configuration", (IOptions<JwtOptions> options, HttpContext http) =>
        {
            var origin = $"{http.Request.Scheme}://{http.Request.Host}";
            return TypedResults.Json(new
            {
                issuer = options.Value.Issuer,
                jwks_uri = $"{origin}/.well-known/jwks.json",
                token_endpoint = $"{origin}/api/auth/login",
                response_types_supported = ResponseTypes,
                subject_types_supported = SubjectTypes,
                id_token_signing_alg_values_supported = SigningAlgorithms,
                token_endpoint_auth_methods_supported = ClientAuthentication,
            });
        }).WithTags("Tokens").WithName("OpenIdConfiguration")
            .WithSummary("Get the discovery document")
            .WithDescription("OpenID-style discovery: the issuer, the JWKS address and the token endpoint.");
        return endpoints;
    }
}
