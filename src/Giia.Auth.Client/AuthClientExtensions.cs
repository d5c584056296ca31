using Giia.Auth.Client.Invalidation;
using Giia.Auth.Grpc.V1;
using Giia.ServiceDefaults;

using Grpc.Net.Client;

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Giia.Auth.Client;

public static class AuthClientExtensions
{
    private const string MetadataClient = "giia-auth-metadata";

    /// <summary>
    /// Bearer authentication against Auth's published keys (JWKS, fetched and refreshed from Auth; no shared secret)
    /// with the same rules Auth applies (ES256 only, issuer, audience, token type, lifetime with 30 s of skew), and
    /// the one authorization model (<see cref="PermissionAuthorizationExtensions.AddPermissionAuthorization"/>) answered by
    /// Auth's CheckPermission through the <see cref="PermissionClient"/>.
    /// </summary>
    public static TBuilder AddGiiaAuthClient<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddValidatedOptions<AuthClientOptions>(AuthClientOptions.SectionName);
        services.AddMemoryCache();
        services.AddHttpClient(MetadataClient);
        // One balanced channel for the process (see AuthChannel); the client over it is as cheap as a struct.
        services.AddSingleton(provider => AuthChannel.Create(provider, provider.GetRequiredService<IOptions<AuthClientOptions>>().Value.GrpcAddress!));
        services.AddSingleton(provider => new AuthService.AuthServiceClient(provider.GetRequiredService<GrpcChannel>()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SigningKeyRefresh>();
        services.AddSingleton<DecisionStamps>();
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<InvalidationListener>(provider,
            provider.GetService<NATS.Client.Core.INatsConnection>() is { } nats ? [nats] : []));
        services.AddHostedService(provider => provider.GetRequiredService<InvalidationListener>());
        // Degraded, not Unhealthy: without notices the service still answers correctly, only with the short cache.
        services.AddHealthChecks().AddCheck<InvalidationListener>("auth-notices", HealthStatus.Degraded);
        services.AddSingleton<PermissionClient>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory, IOptions<AuthClientOptions>>((jwt, clients, settings) =>
            {
                var auth = settings.Value;
                jwt.MetadataAddress = new Uri(auth.HttpAddress!, ".well-known/openid-configuration").ToString();
                // Inside the cluster Auth is reached over plain HTTP through service discovery; TLS ends at the edge.
                jwt.RequireHttpsMetadata = false;
                jwt.Backchannel = clients.CreateClient(MetadataClient);
                jwt.MapInboundClaims = false;
                // A token with an unknown kid (Auth rotated its key) is retried against a fresh JWKS at once.
                jwt.RefreshOnIssuerKeyNotFound = true;
                jwt.RefreshInterval = SigningKeyRefresh.MinimumInterval;
                jwt.Events = new JwtBearerEvents { OnAuthenticationFailed = SigningKeyRefresh.OnAuthenticationFailed };
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidAudience = auth.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                    ValidTypes = [Claims.AccessTokenType],
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = Claims.Subject,
                };
            });
        services.AddPermissionAuthorization<RemotePermissionEvaluator>();
        return builder;
    }
}
