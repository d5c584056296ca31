using Giia.ServiceDefaults;


using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Giia.GrpcApi;

/// <summary>
/// gRPC server defaults: health (<c>grpc.health.v1</c>, following readiness) always, reflection unless
/// <c>Giia:Grpc:Reflection</c> is false, a request message limit that fits GIIA's requests (ids, filters, at most 100
/// permission names), and a database outage answered <c>UNAVAILABLE</c>.
/// </summary>
public static class GrpcDefaults
{
    public const int MaxRequestMessageBytes = 64 * 1024;

    public const string ReflectionSetting = "Giia:Grpc:Reflection";

    public static TBuilder AddGrpcDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<DatabaseOutageInterceptor>();
        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
            options.MaxReceiveMessageSize = MaxRequestMessageBytes;
            options.Interceptors.Add<DatabaseOutageInterceptor>();
        });

        // grpc.health.v1 follows readiness: the same checks, published for gRPC clients and load balancers. Check answers
        // from the last published run (every few seconds) so a probe storm never becomes a storm on the dependencies.
        builder.Services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map("", registration => !registration.Tags.Contains(HealthEndpoints.LiveTag));
            options.UseHealthChecksCache = true;
        });
        if (ReflectionEnabled(builder.Configuration))
        {
            builder.Services.AddGrpcReflection();
        }

        return builder;
    }

    public static WebApplication MapGrpcDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcHealthChecksService();
        if (ReflectionEnabled(app.Configuration))
        {
            app.MapGrpcReflectionService();
        }

        return app;
    }

    private static bool ReflectionEnabled(IConfiguration configuration) => configuration.GetValue(ReflectionSetting, defaultValue: true);
}
