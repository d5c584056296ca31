using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Giia.ServiceDefaults;

/// <summary>
/// gRPC server defaults: health (<c>grpc.health.v1</c>) always, reflection unless <c>Giia:Grpc:Reflection</c> is false,
/// and a request message limit that fits GIIA's requests (ids, filters, at most 100 permission names).
/// </summary>
public static class GrpcDefaults
{
    public const int MaxRequestMessageBytes = 64 * 1024;

    public const string ReflectionSetting = "Giia:Grpc:Reflection";

    public static TBuilder AddGrpcDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
            options.MaxReceiveMessageSize = MaxRequestMessageBytes;
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
