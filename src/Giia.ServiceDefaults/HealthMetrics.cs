using System.Diagnostics.Metrics;

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Giia.ServiceDefaults;

/// <summary>
/// Publishes readiness as metrics (every publisher period): <c>giia.health.degraded</c> counts each run in which a check
/// was Degraded, <c>giia.health.unhealthy</c> each run in which one was Unhealthy, tagged with the check's name, so an
/// operator sees a Redis or NATS outage that readiness deliberately does not turn into a 503.
/// </summary>
internal sealed class HealthMetrics : IHealthCheckPublisher
{
    private readonly Counter<long> degraded;
    private readonly Counter<long> unhealthy;

    public HealthMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GiiaTelemetry.MeterName);
        degraded = meter.CreateCounter<long>("giia.health.degraded", "{run}", "Health check runs that found a dependency degraded");
        unhealthy = meter.CreateCounter<long>("giia.health.unhealthy", "{run}", "Health check runs that found a dependency unhealthy");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var (name, entry) in report.Entries)
        {
            var counter = entry.Status switch
            {
                HealthStatus.Degraded => degraded,
                HealthStatus.Unhealthy => unhealthy,
                _ => null,
            };
            counter?.Add(1, new KeyValuePair<string, object?>("check", name));
        }

        return Task.CompletedTask;
    }
}
