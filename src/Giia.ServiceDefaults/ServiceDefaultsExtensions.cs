using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Giia.ServiceDefaults;

/// <summary>
/// What every GIIA service shares as a hosted process: telemetry, health, service discovery, resilience and shutdown.
/// HTTP API conventions live in Giia.HttpApi, gRPC server defaults in Giia.GrpcApi, clients in Giia.Data, Giia.Nats and
/// Giia.Redis.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddGracefulShutdown();

        builder.Services.AddTrustedForwardedHeaders();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        // Read here rather than through IOptions: the sampler is fixed when the tracer provider is built. The same options are
        // validated at start-up (AddValidatedOptions), so a ratio outside 0..1 stops the service with its key named.
        builder.Services.AddValidatedOptions<TelemetryOptions>(TelemetryOptions.SectionName);
        var telemetry = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var sampleRatio = Math.Clamp(telemetry.EffectiveTraceSampleRatio(builder.Environment.IsDevelopment()), 0.0, 1.0);

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(GiiaTelemetry.MeterName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(sampleRatio)))
                .AddSource(builder.Environment.ApplicationName, GiiaTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(options =>
                    // Probes run every few seconds; tracing them buries the requests that matter.
                    options.Filter = context => !context.Request.Path.StartsWithSegments(HealthEndpoints.BasePath))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation(options => options.FilterHttpRequestMessage = request =>
                    !request.Options.TryGetValue(GiiaTelemetry.Untraced, out var untraced) || !untraced));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthEndpoints.LiveTag]);

        builder.Services.AddSingleton<IHealthCheckPublisher, HealthMetrics>();
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.FromSeconds(1);
            options.Period = TimeSpan.FromSeconds(5);
        });
        return builder;
    }

    /// <summary>
    /// Trusts forwarded headers from the configured proxies and maps <c>/health/live</c> and <c>/health/ready</c> (in
    /// every environment: Kubernetes probes need them) and the opt-in diagnostic endpoints.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseTrustedForwardedHeaders();
        app.MapHealthEndpoints();
        app.MapDiagnosticEndpoints();
        return app;
    }
}
