using System.Text.Json;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Giia.ServiceDefaults;

/// <summary>
/// Liveness says the process runs and never looks at dependencies (a restart would not fix them). Readiness reports
/// every dependency, but answers 503 only for what this pod cannot serve without (its own database: Unhealthy);
/// a shared dependency it can ride out (Redis, NATS) is Degraded: 200, named in the report with its error, and
/// counted in <c>giia.health.degraded</c>, so a blip in Redis or NATS never empties a Kubernetes Service.
/// </summary>
public static class HealthEndpoints
{
    public const string BasePath = "/health";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string LiveTag = "live";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = (context, _) => WriteJsonAsync(context, new { status = "alive" }),
        });

        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = registration => !registration.Tags.Contains(LiveTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = (context, report) => WriteJsonAsync(context, new
            {
                status = report.Status.ToString(),
                totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
                checks = report.Entries.Select(entry => new
                {
                    name = entry.Key,
                    status = entry.Value.Status.ToString(),
                    description = entry.Value.Description ?? entry.Value.Exception?.Message,
                    durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
                    data = entry.Value.Data.Count > 0 ? entry.Value.Data : null,
                }),
            }),
        });
        return endpoints;
    }

    private static Task WriteJsonAsync<T>(HttpContext context, T body)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }
}
