using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

using Npgsql;

namespace Giia.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's PostgreSQL DbContext (pooled, with telemetry from the Aspire integration), retries of
    /// transient failures inside the request budget (<see cref="DatabaseOptions"/>), readiness checks named
    /// <c>postgres</c> (with its own short timeout) and <c>schema</c> (not ready while migrations are pending), the 503
    /// mapping of an outage, and the migration that the service's <c>migrate</c> command runs (see
    /// <see cref="ServiceHosting.RunServiceAsync"/>). The service itself never migrates: a Job (Kubernetes) or a
    /// resource run to completion (AppHost) does, first.
    /// </summary>
    public static TBuilder AddServiceDatabase<TBuilder, TContext>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireConnectionStrings(connectionName);
        builder.Services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.SectionName);
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.AddNpgsqlDbContext<TContext>(connectionName, settings =>
        {
            settings.DisableHealthChecks = true;
            settings.DisableRetry = true; // replaced by the budgeted strategy below
            if (settings.ConnectionString is { Length: > 0 } connectionString)
            {
                var connection = new NpgsqlConnectionStringBuilder(connectionString);
                connection.Timeout = Math.Min(connection.Timeout, database.ConnectTimeoutSeconds);
                settings.ConnectionString = connection.ConnectionString;
            }
        });
        builder.Services.ConfigureDbContext<TContext>((services, options) => options.UseNpgsql(npgsql => npgsql.ExecutionStrategy(
            dependencies => new BudgetedExecutionStrategy(dependencies,
                services.GetRequiredService<IOptions<DatabaseOptions>>().Value, services.GetService<TimeProvider>() ?? TimeProvider.System))));
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck<TContext>>("postgres")
            .AddCheck<SchemaHealthCheck<TContext>>("schema");
        builder.Services.AddSingleton<SchemaHealthCheck<TContext>>();
        builder.Services.AddSingleton<IServiceMigration, DatabaseMigration<TContext>>();
        builder.Services.AddDatabaseOutageHandling();
        return builder;
    }

    /// <summary>
    /// The 503 mapping of a database outage for REST (idempotent: every database registers it); gRPC servers get theirs
    /// from <c>AddGrpcDefaults</c> in Giia.GrpcApi.
    /// </summary>
    public static IServiceCollection AddDatabaseOutageHandling(this IServiceCollection services)
    {
        if (services.All(s => s.ImplementationType != typeof(DatabaseOutageExceptionHandler)))
        {
            services.AddProblemDetails();
            services.AddExceptionHandler<DatabaseOutageExceptionHandler>();
        }

        return services;
    }

    /// <summary>
    /// Runs <paramref name="change"/> and its <c>SaveChanges</c> in one explicit transaction under the execution
    /// strategy, so bulk statements (<c>ExecuteUpdate</c>, <c>ExecuteDelete</c>) and tracked changes (with their outbox
    /// event and audit record) commit together or not at all. A transient failure re-runs the whole unit, so what the
    /// change adds must be added inside <paramref name="change"/>.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(change);
        // What the change tracks on one attempt is dropped before the next, so a retry does not add its rows twice.
        var trackedBefore = db.ChangeTracker.Entries().Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        return db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            foreach (var entry in db.ChangeTracker.Entries().Where(e => !trackedBefore.Contains(e.Entity)).ToList())
            {
                entry.State = EntityState.Detached;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await change(ct);
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.AcceptAllChanges();
            return result;
        }, cancellationToken);
    }

    /// <inheritdoc cref="InTransactionAsync{T}(DbContext, Func{CancellationToken, Task{T}}, CancellationToken)"/>
    public static Task InTransactionAsync(this DbContext db, Func<CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return db.InTransactionAsync(async ct =>
        {
            await change(ct);
            return true;
        }, cancellationToken);
    }

    public static IServiceCollection AddDbSeeder<TContext, TSeeder>(this IServiceCollection services)
        where TContext : DbContext
        where TSeeder : class, IDbSeeder<TContext> =>
        services.AddScoped<IDbSeeder<TContext>, TSeeder>();

    /// <summary>
    /// Opens a connection of its own and runs <c>SELECT 1</c>, bounded by <see cref="DatabaseOptions.HealthCheckTimeout"/>
    /// whatever the driver does, so readiness answers within seconds when PostgreSQL is away; no retries (a probe asks
    /// again anyway).
    /// </summary>
    private sealed class PostgresHealthCheck<TContext>(IServiceProvider services, IOptions<DatabaseOptions> options) : IHealthCheck
        where TContext : DbContext
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var timeout = options.Value.HealthCheckTimeout;
            try
            {
                await using var scope = services.CreateAsyncScope();
                var connectionString = scope.ServiceProvider.GetRequiredService<TContext>().Database.GetConnectionString();
                await PingAsync(connectionString!, timeout, cancellationToken).WaitAsync(timeout, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (TimeoutException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL did not answer within {timeout.TotalSeconds:0.#} s");
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL did not answer: {ex.Message}", ex);
            }
        }

        private static async Task PingAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString)
            {
                Timeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
                CommandTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
        }
    }
}
