using System.Text.Json;

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using NATS.Client.Core;

namespace Giia.Auth.Client.Invalidation;

/// <summary>
/// Subscribes to Auth's notices and applies them to <see cref="DecisionStamps"/>. Each notice is applied at once and
/// again at each of <see cref="LaterPasses"/>, because the service may have asked another Auth instance in between that
/// had not yet seen the change (Auth's instances learn it through Redis, a millisecond or so apart); an answer fetched
/// in that window is dropped by the next pass. While notices cannot be trusted the service says so in readiness (degraded:
/// it keeps serving, with decisions remembered only briefly).
/// </summary>
public sealed partial class InvalidationListener(DecisionStamps stamps, TimeProvider time, ILogger<InvalidationListener> logger,
    INatsConnection? nats = null) : BackgroundService, IHealthCheck
{
    /// <summary>
    /// When a notice is applied again after the first time: soon (most lagging Auth instances have caught up within
    /// milliseconds, and a decision fetched from one is dropped here before it is used much), then later for a slower one.
    /// </summary>
    public static readonly TimeSpan[] LaterPasses = [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (nats is null)
        {
            LogNoNats(logger);
            return;
        }

        nats.ConnectionDisconnected += OnDisconnectedAsync;
        nats.ConnectionOpened += OnOpenedAsync;
        nats.MessageDropped += OnDroppedAsync;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await using var subscription = await nats.SubscribeCoreAsync<byte[]>(InvalidationSubjects.All, cancellationToken: stoppingToken);
                    stamps.ForgetEverything(); // whatever was remembered before the subscription had no notices behind it
                    stamps.Subscribed = true;
                    stamps.Connected = nats.ConnectionState == NatsConnectionState.Open;
                    await foreach (var message in subscription.Msgs.ReadAllAsync(stoppingToken))
                    {
                        Handle(message.Data);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Never let this stop the host: without notices the service is only slower to forget.
                    LogSubscriptionFailed(logger, ex);
                }
                finally
                {
                    stamps.Subscribed = false;
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
        finally
        {
            nats.ConnectionDisconnected -= OnDisconnectedAsync;
            nats.ConnectionOpened -= OnOpenedAsync;
            nats.MessageDropped -= OnDroppedAsync;
        }
    }

    private void Handle(byte[]? data)
    {
        InvalidationNotice? notice;
        try
        {
            notice = data is null ? null : JsonSerializer.Deserialize(data, InvalidationJson.Default.InvalidationNotice);
        }
        catch (JsonException)
        {
            notice = null;
        }

        if (notice is null)
        {
            // Not readable, so not known to be harmless.
            stamps.ForgetEverything();
            return;
        }

        stamps.Apply(notice);
        if (notice.Kind is not (InvalidationKinds.Heartbeat or InvalidationKinds.Goodbye))
        {
            _ = LaterPassesAsync(notice);
        }
    }

    private async Task LaterPassesAsync(InvalidationNotice notice)
    {
        var waited = TimeSpan.Zero;
        foreach (var pass in LaterPasses)
        {
            await Task.Delay(pass - waited, time);
            waited = pass;
            stamps.Invalidate(notice);
        }
    }

    private ValueTask OnDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        stamps.Connected = false;
        LogDisconnected(logger);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnOpenedAsync(object? sender, NatsEventArgs args)
    {
        // Notices sent while the connection was away are lost: forget everything, then trust the subscription again
        // (NATS.Net renews it on the new connection).
        stamps.ForgetEverything();
        stamps.Connected = true;
        return ValueTask.CompletedTask;
    }

    private ValueTask OnDroppedAsync(object? sender, NatsMessageDroppedEventArgs args)
    {
        stamps.ForgetEverything();
        return ValueTask.CompletedTask;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(stamps.IsLive
            ? HealthCheckResult.Healthy("Auth's invalidation notices arrive; decisions are remembered for the long duration")
            : new HealthCheckResult(context.Registration.FailureStatus,
                "Auth's invalidation notices are not arriving (NATS or Auth away): decisions are remembered only briefly"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "No NATS connection is registered: Auth's invalidation notices are not received, decisions are remembered only briefly")]
    private static partial void LogNoNats(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to Auth's invalidation notices failed; retrying")]
    private static partial void LogSubscriptionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NATS connection lost: Auth's invalidation notices stop; decisions are remembered only briefly until it is back")]
    private static partial void LogDisconnected(ILogger logger);
}
