using System.Diagnostics.Metrics;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Giia.Events.Outbox;

/// <summary>Reports the outbox backlog as a gauge and removes sent rows older than the retention period.</summary>
public sealed partial class OutboxHousekeeping<TContext> : BackgroundService where TContext : DbContext
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private readonly IServiceScopeFactory scopes;
    private readonly OutboxOptions settings;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private long backlog;

    public OutboxHousekeeping(IServiceScopeFactory scopes, IOptions<EventsOptions> options, EventsMetrics metrics,
        TimeProvider time, ILogger<OutboxHousekeeping<TContext>> logger)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        this.scopes = scopes;
        settings = options.Value.Outbox;
        this.time = time;
        this.logger = logger;
        metrics.Meter.CreateObservableGauge("giia.events.outbox_backlog", () => Interlocked.Read(ref backlog), "{event}",
            "Outbox rows not yet published");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outbox = scope.ServiceProvider.GetRequiredService<TContext>().Set<OutboxMessage>();
                Interlocked.Exchange(ref backlog, await outbox.LongCountAsync(m => m.SentAt == null, stoppingToken));

                var now = time.GetUtcNow();
                if (now - lastCleanup > TimeSpan.FromHours(1))
                {
                    var cutoff = now - settings.Retention;
                    var removed = await outbox.Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(stoppingToken);
                    lastCleanup = now;
                    if (removed > 0)
                    {
                        LogRemoved(logger, removed);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.Message);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox cleanup removed {Count} sent rows past retention")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox housekeeping failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
