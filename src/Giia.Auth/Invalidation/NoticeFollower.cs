using System.Text.Json;

using Giia.Auth.Client.Invalidation;
using Giia.Auth.Rbac;

using NATS.Client.Core;

namespace Giia.Auth.Invalidation;

/// <summary>
/// Applies Auth's invalidation notices (those of the other instances) to this instance's memory copies of the version
/// stamps: each notice drops the copies of the stamps it names (<see cref="PermissionCache.ForgetLocalCopiesAsync"/>),
/// so the next check here reads them from Redis. A service that evicts its decisions on the same notice and asks
/// again then finds this instance knowing the change too, instead of one that still waits for Redis's backplane
/// message and answers from the old stamp.
/// <para>
/// Once is enough: the instance that made the change has written the new stamps to Redis (and sent the backplane
/// message) before it publishes the notice, so a read after the drop finds them. The backplane stays the guarantee:
/// a notice that never arrives (NATS away, a dropped message) only leaves this instance to it, as before.
/// </para>
/// </summary>
public sealed partial class NoticeFollower(INatsConnection nats, PermissionCache cache, InvalidationPublisher self, TimeProvider time,
    ILogger<NoticeFollower> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var subscription = await nats.SubscribeCoreAsync<byte[]>(InvalidationSubjects.All, cancellationToken: stoppingToken);
                await foreach (var message in subscription.Msgs.ReadAllAsync(stoppingToken))
                {
                    await ApplyAsync(message.Data, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Never let this stop the host: without notices this instance learns changes from the backplane alone.
                LogSubscriptionFailed(logger, ex);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// The version stamps a notice names: a user's for a session or user notice (session liveness is remembered under
    /// the user's stamp), an organization's, or the global one (a null organization) for everything, and for a notice
    /// that cannot be read or lacks its id. None for heartbeats, goodbyes and kinds this version does not know.
    /// </summary>
    public static (IReadOnlyList<Guid> Users, IReadOnlyList<Guid?> Organizations) StampsOf(InvalidationNotice? notice) => notice switch
    {
        null => ([], [null]),
        { Kind: InvalidationKinds.Session or InvalidationKinds.User, UserId: { } user } => ([user], []),
        { Kind: InvalidationKinds.Organization, OrganizationId: { } organization } => ([], [organization]),
        { Kind: InvalidationKinds.Session or InvalidationKinds.User or InvalidationKinds.Organization or InvalidationKinds.All } => ([], [null]),
        _ => ([], []),
    };

    private async Task ApplyAsync(byte[]? data, CancellationToken cancellationToken)
    {
        var notice = Read(data);
        if (notice is null)
        {
            LogUnreadable(logger);
        }
        else if (notice.Publisher == self.Id)
        {
            // This instance's own change: it put the new stamps in its memory when it wrote them to Redis.
            return;
        }

        var (users, organizations) = StampsOf(notice);
        if (users.Count > 0 || organizations.Count > 0)
        {
            await cache.ForgetLocalCopiesAsync(users, organizations, cancellationToken);
        }
    }

    private static InvalidationNotice? Read(byte[]? data)
    {
        try
        {
            return data is null ? null : JsonSerializer.Deserialize(data, InvalidationJson.Default.InvalidationNotice);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following Auth's invalidation notices failed; retrying (until then changes reach this instance through Redis's backplane only)")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "An invalidation notice could not be read: dropping this instance's copy of the global version stamp")]
    private static partial void LogUnreadable(ILogger logger);
}
