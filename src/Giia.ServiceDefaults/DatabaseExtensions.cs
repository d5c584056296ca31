using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Giia.ServiceDefaults;

/// <summary>Seeds reference data after migrations; must be idempotent (it runs at every migration run).</summary>
public interface IDbSeeder<in TContext> where TContext : DbContext
{
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's PostgreSQL DbContext (pooled, with retries and telemetry from the Aspire integration),
    /// readiness checks named <c>postgres</c> and <c>schema</c> (not ready while migrations are pending), and the
    /// migration that the service's <c>migrate</c> command runs (see <see cref="ServiceHosting.RunServiceAsync"/>).
    /// The service itself never migrates: a Job (Kubernetes) or a resource run to completion (AppHost) does, first.
    /// </summary>
    public static TBuilder AddServiceDatabase<TBuilder, TContext>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireConnectionStrings(connectionName);
        builder.AddNpgsqlDbContext<TContext>(connectionName, settings => settings.DisableHealthChecks = true);
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<TContext>("postgres")
            .AddCheck<SchemaHealthCheck<TContext>>("schema");
        builder.Services.AddSingleton<SchemaHealthCheck<TContext>>();
        builder.Services.AddSingleton<IServiceMigration, DatabaseMigration<TContext>>();
        return builder;
    }

    public static IServiceCollection AddDbSeeder<TContext, TSeeder>(this IServiceCollection services)
        where TContext : DbContext
        where TSeeder : class, IDbSeeder<TContext> =>
        services.AddScoped<IDbSeeder<TContext>, TSeeder>();
}
