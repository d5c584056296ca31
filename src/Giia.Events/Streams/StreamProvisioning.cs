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
/// Creates the streams this service knows (the shared ones and any it added with <c>AddStream</c>) at start, and
/// brings existing ones to what the code owns: subjects, retention, discard policy and duplicate window. Limits (max
/// bytes, max age, replicas) are the environment's and the operator's: written when the stream is created or has none,
/// never overwritten afterwards, so <c>nats stream edit</c> survives a restart. A stream another service owns is only
/// created when missing (<see cref="StreamOwnership"/>). Retries in the background while NATS is
/// away, so a service starts (and its outbox fills) even then.
/// </summary>
public sealed partial class StreamProvisioner(INatsJSContext jetStream, StreamProvisioning provisioning, IEnumerable<StreamDefinition> streams,
    StreamOwnership ownership, IOptions<EventsOptions> options, ILogger<StreamProvisioner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Streams;
        var definitions = streams.ToList();
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var definition in definitions)
                {
                    await EnsureAsync(definition, settings, stoppingToken);
                }

                provisioning.MarkReady();
                LogReady(logger, definitions.Count);
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

    private async Task EnsureAsync(StreamDefinition definition, StreamOptions settings, CancellationToken cancellationToken)
    {
        var desired = Desired(definition, settings);
        StreamConfig existing;
        try
        {
            existing = (await jetStream.GetStreamAsync(definition.Name, cancellationToken: cancellationToken)).Info.Config;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            try
            {
                await jetStream.CreateStreamAsync(desired, cancellationToken);
                return;
            }
            catch (NatsJSApiException created) when (created.Error.ErrCode == 10058)
            {
                // Another service created it a moment ago: update it like any existing stream.
                existing = (await jetStream.GetStreamAsync(definition.Name, cancellationToken: cancellationToken)).Info.Config;
            }
        }

        if (ownership.Owns(definition.Name) && Reconcile(existing, desired) is { } update)
        {
            await jetStream.UpdateStreamAsync(update, cancellationToken);
            LogUpdated(logger, definition.Name);
        }
    }

    /// <summary>The configuration a new stream gets.</summary>
    public static StreamConfig Desired(StreamDefinition definition, StreamOptions settings)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(settings);
        var limits = settings.Limits.GetValueOrDefault(definition.Name);
        return new StreamConfig(definition.Name, [definition.Subjects])
        {
            Storage = StreamConfigStorage.File,
            Retention = definition.WorkQueue ? StreamConfigRetention.Workqueue : StreamConfigRetention.Limits,
            Discard = definition.WhenFull == StreamFullPolicy.DropOldest ? StreamConfigDiscard.Old : StreamConfigDiscard.New,
            MaxBytes = limits?.MaxBytes ?? definition.DefaultMaxBytes,
            MaxAge = limits?.MaxAge ?? definition.DefaultMaxAge,
            DuplicateWindow = settings.DuplicateWindow,
            NumReplicas = settings.Replicas,
        };
    }

    /// <summary>
    /// The update that brings <paramref name="existing"/> to the code-owned settings of <paramref name="desired"/>
    /// while keeping the server's limits where it has any; null when nothing needs to change.
    /// </summary>
    public static StreamConfig? Reconcile(StreamConfig existing, StreamConfig desired)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(desired);
        var maxBytes = existing.MaxBytes > 0 ? existing.MaxBytes : desired.MaxBytes;
        var maxAge = existing.MaxAge > TimeSpan.Zero ? existing.MaxAge : desired.MaxAge;
        var subjects = desired.Subjects ?? [];
        var unchanged = (existing.Subjects ?? []).SequenceEqual(subjects)
            && existing.Discard == desired.Discard
            && existing.DuplicateWindow == desired.DuplicateWindow
            && existing.MaxBytes == maxBytes
            && existing.MaxAge == maxAge;
        return unchanged
            ? null
            : existing with
            {
                Subjects = subjects,
                Discard = desired.Discard,
                DuplicateWindow = desired.DuplicateWindow,
                MaxBytes = maxBytes,
                MaxAge = maxAge,
            };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} JetStream streams in place")]
    private static partial void LogReady(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "JetStream stream {Stream} brought to the code's settings (its limits kept)")]
    private static partial void LogUpdated(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "JetStream streams not created yet, retrying in {Seconds} s: {Error}")]
    private static partial void LogRetry(ILogger logger, double seconds, string error);
}
