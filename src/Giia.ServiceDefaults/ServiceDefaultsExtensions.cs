using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

using Scalar.AspNetCore;

namespace Giia.ServiceDefaults;

/// <summary>What every GIIA service shares: telemetry, health, service discovery, resilience and shutdown.</summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddGracefulShutdown();

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // In development an unexpected error says what it was; elsewhere the problem stays generic.
            if (builder.Environment.IsDevelopment() && context.Exception is { } exception)
            {
                context.ProblemDetails.Detail = $"{exception.GetType().Name}: {exception.Message}";
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures reach the handler above in every environment, so clients see the same 400 everywhere.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
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
                .AddMeter(GiiaTelemetry.MeterName, NatsClientExtensions.NatsTelemetryName))
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(sampleRatio)))
                .AddSource(builder.Environment.ApplicationName, GiiaTelemetry.ActivitySourceName, NatsClientExtensions.NatsTelemetryName)
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

        // grpc.health.v1 follows readiness: the same checks, published for gRPC clients and load balancers. Check answers
        // from the last published run (every few seconds) so a probe storm never becomes a storm on the dependencies.
        builder.Services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map("", registration => !registration.Tags.Contains(HealthEndpoints.LiveTag));
            options.UseHealthChecksCache = true;
        });
        builder.Services.AddSingleton<IHealthCheckPublisher, HealthMetrics>();
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.FromSeconds(1);
            options.Period = TimeSpan.FromSeconds(5);
        });
        return builder;
    }

    /// <summary>Maps <c>/health/live</c> and <c>/health/ready</c> (in every environment: Kubernetes probes need them).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseTrustedForwardedHeaders();
        app.UseJsonBodiesOnly();
        app.MapHealthEndpoints();
        // Only a service that declared its contract (AddOpenApiContract) has a document to serve.
        if (app.Environment.IsDevelopment() && app.Services.GetService<OpenApi.ApiContract>() is not null)
        {
            app.MapOpenApi(); // /openapi/v1.json; the same document is committed under docs/api/openapi (checked by a test)
            app.MapScalarApiReference(); // the interactive reference at /scalar/v1
        }

        app.MapDiagnosticEndpoints();
        return app;
    }
}
