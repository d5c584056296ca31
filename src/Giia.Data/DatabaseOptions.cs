using System.ComponentModel.DataAnnotations;

using Giia.ServiceDefaults;

namespace Giia.Data;

/// <summary>
/// How long a request waits for the service's database (<c>Giia:Database</c>). Transient failures are retried, but
/// only inside <see cref="RequestBudget"/>: past it the caller gets a 503 with <c>Retry-After</c> (gRPC UNAVAILABLE)
/// instead of a minute-long hang.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Giia:Database";

    /// <summary>The time one database operation (with its retries) may take before the request is answered 503.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "must be between 1 second and 1 minute")]
    public TimeSpan RequestBudget { get; set; } = TimeSpan.FromSeconds(5);

    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30", ErrorMessage = "must be between 10 ms and 30 seconds")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long opening a connection may take (Npgsql's <c>Timeout</c>), so an unreachable host fails fast too.</summary>
    [Range(1, 60)]
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>What <c>Retry-After</c> tells clients during an outage.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "must be between 1 second and 10 minutes")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The readiness check's own limit: readiness answers 503 within it when PostgreSQL does not answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "must be between 100 ms and 30 seconds")]
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
