using Giia.Auth.Data;
using Giia.Auth.Invalidation;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Organizations;

/// <summary>
/// Operators suspend and reinstate organizations in the database (there is no API for it), so no commit of Auth's
/// announces it: this reads the set of suspended organizations every <see cref="Interval"/> and tells the services of
/// each one that changed, so their remembered decisions for it end within about that bound.
/// </summary>
public sealed partial class SuspensionWatcher(IServiceScopeFactory scopes, InvalidationPublisher notices, TimeProvider time,
    ILogger<SuspensionWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        HashSet<Guid>? known = null;
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
                    var suspended = (await db.Organizations.AsNoTracking().Where(o => o.Status == OrganizationStatus.Suspended)
                        .Select(o => o.Id).ToListAsync(stoppingToken)).ToHashSet();
                    if (known is not null)
                    {
                        foreach (var changed in suspended.Except(known).Concat(known.Except(suspended)))
                        {
                            await notices.OrganizationChangedAsync(changed);
                        }
                    }

                    known = suspended;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database away: checks fail closed meanwhile; the next read compares with the last good one.
                    LogReadFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the suspended organizations: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string reason);
}
