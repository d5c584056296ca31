using Giia.ServiceDefaults;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

using StackExchange.Redis;

namespace Giia.Redis;

public static class RedisExtensions
{
    /// <summary>The Redis client (Aspire integration: telemetry, retries) with a readiness check named <c>redis</c>.</summary>
    public static TBuilder AddServiceRedis<TBuilder>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireConnectionStrings(connectionName);
        builder.AddRedisClient(connectionName,
            settings => settings.DisableHealthChecks = true,
            // Never fail start-up because Redis is briefly away; the client reconnects in the background.
            options => options.AbortOnConnectFail = false);
        // Degraded, not Unhealthy: every user of Redis here has a way around it (the permission cache asks PostgreSQL),
        // so a Redis outage must not take the pods out of their Service.
        builder.Services.AddHealthChecks().AddCheck<RedisPingHealthCheck>("redis", HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(3));
        return builder;
    }

    private sealed class RedisPingHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.0} ms");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"Redis did not answer: {ex.Message}", ex);
            }
        }
    }
}
