using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Giia.ServiceDefaults;

/// <summary>Seeds reference data after migrations; must be idempotent (it runs at every start).</summary>
public interface IDbSeeder<in TContext> where TContext : DbContext
{
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}

public static partial class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's PostgreSQL DbContext (pooled, with retries and telemetry from the Aspire integration),
    /// a readiness check named <c>postgres</c>, and a hosted service that applies migrations and then seeds
    /// before the service accepts requests.
    /// </summary>
    public static TBuilder AddServiceDatabase<TBuilder, TContext>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireConnectionStrings(connectionName);
        builder.AddNpgsqlDbContext<TContext>(connectionName, settings => settings.DisableHealthChecks = true);
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("postgres");
        builder.Services.AddHostedService<MigrationHostedService<TContext>>();
        return builder;
    }

    public static IServiceCollection AddDbSeeder<TContext, TSeeder>(this IServiceCollection services)
        where TContext : DbContext
        where TSeeder : class, IDbSeeder<TContext> =>
        services.AddScoped<IDbSeeder<TContext>, TSeeder>();

    private sealed partial class MigrationHostedService<TContext>(IServiceProvider services, ILogger<MigrationHostedService<TContext>> logger)
        : IHostedService where TContext : DbContext
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            using var activity = GiiaTelemetry.ActivitySource.StartActivity($"Migrate {typeof(TContext).Name}");
            await using var scope = services.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            await context.Database.MigrateAsync(cancellationToken);
            foreach (var seeder in scope.ServiceProvider.GetServices<IDbSeeder<TContext>>())
            {
                await seeder.SeedAsync(context, cancellationToken);
            }

            LogMigrated(logger, typeof(TContext).Name);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "{Context}: migrations applied and seed data in place")]
        private static partial void LogMigrated(ILogger logger, string context);
    }
}
