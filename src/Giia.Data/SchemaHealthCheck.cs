using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Giia.Data;

/// <summary>
/// Not ready while the database lacks migrations this build knows: a new version rolled out before its migration Job
/// finished waits unready (the old pods keep serving) instead of failing requests. Once current, it stays current.
/// </summary>
internal sealed class SchemaHealthCheck<TContext>(IServiceScopeFactory scopes) : IHealthCheck where TContext : DbContext
{
    private volatile bool current;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (current)
        {
            return HealthCheckResult.Healthy();
        }

        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<TContext>().Database;
        var pending = (await database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            return HealthCheckResult.Unhealthy(
                $"{pending.Count} migrations pending ({pending[^1]}): run the service with 'migrate' (the migration Job) first.");
        }

        current = true;
        return HealthCheckResult.Healthy();
    }
}
