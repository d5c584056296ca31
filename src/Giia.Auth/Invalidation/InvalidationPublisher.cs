using System.Text.Json;

using Giia.Auth.Client.Invalidation;

using NATS.Client.Core;

namespace Giia.Auth.Invalidation;

/// <summary>
/// Tells every service, on core NATS, what a commit changed (<see cref="InvalidationNotice"/>), and sends a heartbeat
/// every <see cref="HeartbeatInterval"/> with the count of notices so far. A notice is numbered before it is sent,
/// so one that fails to leave (NATS away) still shows as a gap in the next heartbeat and every service forgets what it
/// cached. Publishing never fails the change that caused it: the change is committed already.
/// </summary>
public sealed partial class InvalidationPublisher(IServiceProvider services, TimeProvider time, ILogger<InvalidationPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a notice may wait for NATS: past it the notice counts as lost (the heartbeat shows the gap).</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMilliseconds(500);

    private readonly Guid publisher = Guid.NewGuid();
    private readonly Lazy<INatsConnection?> nats = new(() => Connect(services, logger));
    private long sequence;

    /// <summary>This instance as its notices name it (<see cref="InvalidationNotice.Publisher"/>).</summary>
    public Guid Id => publisher;

    /// <summary>
    /// NATS is resolved on first use: the <c>migrate</c> command (whose seeding also commits role changes) runs without a
    /// NATS connection string, and no service is told of what it seeds; the services' caches expire on their own.
    /// </summary>
    private static INatsConnection? Connect(IServiceProvider services, ILogger logger)
    {
        try
        {
            return services.GetService<INatsConnection>();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            LogNoNats(logger, ex.Message);
            return null;
        }
    }

    public Task SessionEndedAsync(Guid userId, Guid sessionId) =>
        PublishAsync(InvalidationKinds.Session, userId: userId, sessionId: sessionId);

    public Task UserChangedAsync(Guid userId) => PublishAsync(InvalidationKinds.User, userId: userId);

    public Task OrganizationChangedAsync(Guid organizationId) => PublishAsync(InvalidationKinds.Organization, organizationId: organizationId);

    public Task EverythingChangedAsync() => PublishAsync(InvalidationKinds.All);

    private async Task PublishAsync(string kind, Guid? userId = null, Guid? organizationId = null, Guid? sessionId = null)
    {
        var notice = new InvalidationNotice(kind, publisher, Interlocked.Increment(ref sequence), userId, organizationId, sessionId);
        try
        {
            await SendAsync(notice);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or TimeoutException)
        {
            LogNoticeLost(logger, kind, notice.Sequence, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SendAsync(new InvalidationNotice(InvalidationKinds.Heartbeat, publisher, Interlocked.Read(ref sequence)));
                }
                catch (Exception ex) when (ex is NatsException or TimeoutException or OperationCanceledException)
                {
                    // Not the host stopping (the send has its own timeout): NATS is away. Services see the silence.
                    LogHeartbeatFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Services stop waiting for this instance's heartbeats (its silence is not a lost notice).
            await SendAsync(new InvalidationNotice(InvalidationKinds.Goodbye, publisher, Interlocked.Read(ref sequence)));
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or TimeoutException)
        {
            LogHeartbeatFailed(logger, ex.Message);
        }
    }

    private async Task SendAsync(InvalidationNotice notice)
    {
        if (nats.Value is not { } connection)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(PublishTimeout, time);
        var payload = JsonSerializer.SerializeToUtf8Bytes(notice, InvalidationJson.Default.InvalidationNotice);
        await connection.PublishAsync(InvalidationSubjects.For(notice.Kind), payload, cancellationToken: timeout.Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invalidation notice {Kind} #{Sequence} did not leave; services find the gap at the next heartbeat")]
    private static partial void LogNoticeLost(ILogger logger, string kind, long sequence, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "No NATS connection ({Reason}): invalidation notices are not sent from this process")]
    private static partial void LogNoNats(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Invalidation heartbeat not sent: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);
}
