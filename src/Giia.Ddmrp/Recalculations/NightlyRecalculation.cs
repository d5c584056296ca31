using Giia.Ddmrp.Data;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Ddmrp.Recalculations;

/// <summary>
/// Every night at <see cref="RecalculationOptions.NightlyAtUtc"/>, a whole-organization job for each organization
/// the copy of Catalog knows. Every replica runs this; the per-organization lock and the unique (organization, day)
/// index make one job per organization and night, whichever replica comes first.
/// </summary>
internal sealed partial class NightlyRecalculation(IServiceScopeFactory scopes, IOptions<RecalculationOptions> options, TimeProvider time,
    ILogger<NightlyRecalculation> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.NightlyEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var next = NightlySchedule.NextRun(time.GetUtcNow(), options.Value.NightlyAtUtc);
            try
            {
                var wait = next - time.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
                await StartAllAsync(DateOnly.FromDateTime(next.UtcDateTime), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // whatever failed, the schedule must live on: the host stops on an escaped exception
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // The database was away at the hour: tonight's jobs are missed, tomorrow's come; a manual job can fill in.
                LogNightlyFailed(logger, ex);
            }
        }
    }

    private async Task StartAllAsync(DateOnly day, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DdmrpDbContext>();
        var jobs = scope.ServiceProvider.GetRequiredService<RecalculationJobs>();
        var organizations = await db.CopiedProducts.AsNoTracking().Select(p => p.OrganizationId).Distinct().ToListAsync(cancellationToken);
        foreach (var organizationId in organizations)
        {
            try
            {
                await jobs.StartForOrganizationAsync(organizationId, RecalculationTrigger.Nightly, null, day, cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
                // Another replica queued this organization's job for the night first.
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One organization's failure leaves the others' nights alone.
                LogOrganizationFailed(logger, organizationId, ex);
            }

            db.ChangeTracker.Clear();
        }

        LogNightlyQueued(logger, organizations.Count, day);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Nightly recalculation queued for {Organizations} organizations ({Day})")]
    private static partial void LogNightlyQueued(ILogger logger, int organizations, DateOnly day);

    [LoggerMessage(Level = LogLevel.Error, Message = "Nightly recalculation could not be queued for organization {OrganizationId}")]
    private static partial void LogOrganizationFailed(ILogger logger, Guid organizationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Nightly recalculation could not be queued")]
    private static partial void LogNightlyFailed(ILogger logger, Exception exception);
}
