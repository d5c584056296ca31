using Giia.Auth.Accounts;
using Giia.Auth.Data;

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Tokens;

public static class TokenAuthentication
{
    /// <summary>
    /// Bearer authentication for Auth's own REST API with its own keys, plus a check that the user is still active:
    /// a deactivated user's tokens stop working here at once.
    /// </summary>
    public static IServiceCollection AddTokenAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeys, IOptions<JwtOptions>>((bearer, keys, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = AccessTokens.Parameters(jwt.Value.Issuer, jwt.Value.Audience, keys.All);
                bearer.Events = new JwtBearerEvents
                {
                    // gRPC calls authenticate inside the service (the bearer token in metadata, validated once and
                    // remembered); this scheme, with its database check of the user, is for REST.
                    OnMessageReceived = context =>
                    {
                        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
                        {
                            context.NoResult();
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = async context =>
                    {
                        var userId = AccessTokens.UserId(context.Principal!);
                        var db = context.HttpContext.RequestServices.GetRequiredService<AuthDbContext>();
                        var active = userId is not null && await db.Users.AnyAsync(u => u.Id == userId && u.Status == UserStatus.Active);
                        if (!active)
                        {
                            context.Fail("The user is not active.");
                        }
                    },
                };
            });
        services.AddAuthorization();
        return services;
    }
}
