using Giia.Auth.Accounts;
using Giia.Auth.Data;
using Giia.Auth.Organizations;
using Giia.Auth.Rbac;

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Tokens;

public static class TokenAuthentication
{
    private const string BearerScheme = "GiiaBearer";
    private const string GrpcScheme = "GiiaGrpcBearer";

    /// <summary>
    /// Bearer authentication with Auth's own keys: for REST, a check that the user is still active (a deactivated
    /// user's tokens stop working here at once) and that the token's session has not ended; for gRPC, <see cref="GrpcBearerHandler"/>. Authorization is the
    /// shared permission model, answered locally by <see cref="LocalPermissionEvaluator"/>.
    /// </summary>
    public static IServiceCollection AddTokenAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(BearerScheme)
            .AddPolicyScheme(BearerScheme, "Bearer token (REST or gRPC)", scheme => scheme.ForwardDefaultSelector = http =>
                http.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
                    ? GrpcScheme
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, GrpcBearerHandler>(GrpcScheme, null);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeys, IOptions<JwtOptions>>((bearer, keys, jwt) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = AccessTokens.Parameters(jwt.Value.Issuer, jwt.Value.Audience, keys.All);
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        var userId = Claims.UserIdOf(context.Principal!);
                        var db = context.HttpContext.RequestServices.GetRequiredService<AuthDbContext>();
                        var active = userId is not null && await db.Users.AnyAsync(u => u.Id == userId && u.Status == UserStatus.Active
                            && db.Organizations.Any(o => o.Id == u.OrganizationId && o.Status == OrganizationStatus.Active));
                        if (!active)
                        {
                            context.Fail("The user is not active, or their organization is suspended.");
                            return;
                        }

                        var sessions = context.HttpContext.RequestServices.GetRequiredService<PermissionCache>();
                        if (await sessions.IsLiveAsync(context.Principal!, context.HttpContext.RequestAborted) is { } ended)
                        {
                            context.Fail(ended);
                        }
                    },
                };
            });
        services.AddPermissionAuthorization<LocalPermissionEvaluator>();
        return services;
    }
}
