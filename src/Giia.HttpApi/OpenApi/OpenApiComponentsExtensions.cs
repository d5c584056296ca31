using Microsoft.OpenApi;

namespace Giia.HttpApi.OpenApi;

internal static class OpenApiComponentsExtensions
{
    public static void AddBearerScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes.TryAdd(ApiContract.BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from POST /api/auth/login or /api/auth/refresh (ES256, 15 minutes), sent as `Authorization: Bearer <token>`.",
        });
    }
}
