using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Giia.Events;

/// <summary>Completes once this process has made sure every GIIA stream exists with the configured settings.</summary>
public sealed class StreamProvisioning
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => ready.Task;

    internal void MarkReady() => ready.TrySetResult();
}

/// <summary>
/// Creates or updates AUTH_EVENTS, CATALOG_EVENTS, DLQ_EVENTS and RETRY_EVENTS at start (idempotent: every service
/// runs it). File storage, the configured max age and duplicate window. Retries in the background while NATS is away,
/// so a service starts (and its outbox fills) even then.
/// </summary>
public sealed partial class StreamProvisioner(INatsJSContext jetStream, StreamProvisioning provisioning,
    IOptions<EventsOptions> options, ILogger<StreamProvisioner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Streams;
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (name, subjects) in EventStreams.SubjectsByStream)
                {
                    await jetStream.CreateOrUpdateStreamAsync(new StreamConfig(name, [subjects])
                    {
                        Storage = StreamConfigStorage.File,
                        Retention = StreamConfigRetention.Limits,
                        MaxAge = settings.MaxAge,
                        DuplicateWindow = settings.DuplicateWindow,
                        NumReplicas = settings.Replicas,
                    }, stoppingToken);
                }

                provisioning.MarkReady();
                LogReady(logger, EventStreams.SubjectsByStream.Count);
                return;
            }
            catch (Exception ex) when (ex is NatsJSException or NATS.Client.Core.NatsException or TimeoutException)
            {
                LogRetry(logger, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 10));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} JetStream streams in place")]
    private static partial void LogReady(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "JetStream streams not created yet, retrying in {Seconds} s: {Error}")]
    private static partial void LogRetry(ILogger logger, double seconds, string error);
}
