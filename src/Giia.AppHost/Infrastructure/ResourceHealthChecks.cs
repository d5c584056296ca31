using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

using NATS.Client.Core;
using NATS.Client.JetStream;

using Npgsql;

using StackExchange.Redis;

namespace Giia.AppHost.Infrastructure;

/// <summary>
/// Health checks the AppHost runs against its infrastructure so that <c>WaitFor</c> waits for a server
/// that answers, not only for a process that started. Each reads the resource's connection string when it runs,
/// so the same check serves containers (ports allocated at run time) and local processes.
/// </summary>
internal static class ResourceHealthChecks
{
    public static IResourceBuilder<T> WithPostgresHealthCheck<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString =>
        builder.WithConnectionHealthCheck("postgres", async (connectionString, ct) =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(ct);
        });

    public static IResourceBuilder<T> WithRedisHealthCheck<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString =>
        builder.WithConnectionHealthCheck("redis", async (connectionString, ct) =>
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = true;
            options.ConnectTimeout = 2000;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync();
        });

    /// <summary>Healthy only when JetStream answers an account-info request, not merely when a socket connects.</summary>
    public static IResourceBuilder<T> WithNatsHealthCheck<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString =>
        builder.WithConnectionHealthCheck("nats", async (connectionString, ct) =>
        {
            await using var connection = new NatsConnection(new NatsOpts { Url = connectionString, ConnectTimeout = TimeSpan.FromSeconds(2) });
            await connection.ConnectAsync();
            var jetStream = new NatsJSContext(connection);
            await jetStream.GetAccountInfoAsync(ct);
        });

    private static IResourceBuilder<T> WithConnectionHealthCheck<T>(this IResourceBuilder<T> builder, string kind,
        Func<string, CancellationToken, Task> probe)
        where T : IResourceWithConnectionString
    {
        var resource = builder.Resource;
        var key = $"{resource.Name}_{kind}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key,
            _ => new DelegateHealthCheck(async ct =>
            {
                var connectionString = await resource.ConnectionStringExpression.GetValueAsync(ct)
                    ?? throw new InvalidOperationException($"'{resource.Name}' has no connection string yet.");
                await probe(connectionString, ct);
            }),
            failureStatus: HealthStatus.Unhealthy,
            tags: null,
            timeout: TimeSpan.FromSeconds(5)));
        return builder.WithHealthCheck(key);
    }

    private sealed class DelegateHealthCheck(Func<CancellationToken, Task> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await probe(cancellationToken);
                return HealthCheckResult.Healthy();
            }
#pragma warning disable CA1031 // A health probe reports every failure as unhealthy instead of throwing.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return new HealthCheckResult(context.Registration.FailureStatus, ex.Message, ex);
            }
        }
    }
}
