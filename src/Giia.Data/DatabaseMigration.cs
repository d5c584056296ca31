using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Giia.Data;

/// <summary>Applies the context's pending EF Core migrations, then its seeders (idempotent), in one scope.</summary>
internal sealed partial class DatabaseMigration<TContext>(IServiceProvider services, ILogger<DatabaseMigration<TContext>> logger)
    : IServiceMigration where TContext : DbContext
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var activity = GiiaTelemetry.ActivitySource.StartActivity($"Migrate {typeof(TContext).Name}");
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        // Index builds on large tables run CONCURRENTLY (outside a transaction) and can take long: no command timeout.
        context.Database.SetCommandTimeout(TimeSpan.Zero);
        var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await context.Database.MigrateAsync(cancellationToken);
        foreach (var seeder in scope.ServiceProvider.GetServices<IDbSeeder<TContext>>())
        {
            await seeder.SeedAsync(context, cancellationToken);
        }

        LogMigrated(logger, typeof(TContext).Name, pending.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Context}: {Count} migrations applied, seed data in place")]
    private static partial void LogMigrated(ILogger logger, string context, int count);
}
