using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using NATS.Client.JetStream;

namespace Giia.Events;

/// <summary>How full one stream was when last read.</summary>
public sealed record StreamFill(string Stream, StreamFullPolicy WhenFull, long Bytes, long MaxBytes)
{
    /// <summary>Stored bytes over the byte limit (0 when the stream has none).</summary>
    public double Ratio => MaxBytes > 0 ? (double)Bytes / MaxBytes : 0;

    /// <summary>A refuse-new stream this close to its limit turns most publishes away.</summary>
    public bool Refusing => WhenFull == StreamFullPolicy.RefuseNew && Ratio >= StreamUsageMonitor.FullRatio;
}

/// <summary>
/// Reads every known stream's fill level periodically: the <c>giia.events.stream_usage</c> gauge (0..1 of its byte
/// limit, alert above 0.8) and the <c>streams</c> readiness entry, Degraded while a refuse-new stream is full (its
/// events wait in the outboxes until an operator makes room).
/// </summary>
public sealed partial class StreamUsageMonitor : BackgroundService, IHealthCheck
{
    public const double AlertRatio = 0.8;
    public const double FullRatio = 0.95;

    private readonly ConcurrentDictionary<string, StreamFill> fills = new();
    private readonly INatsJSContext jetStream;
    private readonly StreamProvisioning provisioning;
    private readonly IReadOnlyList<StreamDefinition> streams;
    private readonly StreamOptions settings;
    private readonly TimeProvider time;
    private readonly ILogger<StreamUsageMonitor> logger;

    public StreamUsageMonitor(INatsJSContext jetStream, StreamProvisioning provisioning, IEnumerable<StreamDefinition> streams,
        IOptions<EventsOptions> options, EventsMetrics metrics, TimeProvider time, ILogger<StreamUsageMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        this.jetStream = jetStream;
        this.provisioning = provisioning;
        this.streams = streams.ToList();
        settings = options.Value.Streams;
        this.time = time;
        this.logger = logger;
        metrics.Meter.CreateObservableGauge("giia.events.stream_usage",
            () => fills.Values.Select(f => new Measurement<double>(f.Ratio, new KeyValuePair<string, object?>("stream", f.Stream))),
            "1", "Stored bytes of a JetStream stream over its byte limit (alert above 0.8)");
    }

    public IReadOnlyCollection<StreamFill> Fills => fills.Values.ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await provisioning.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await RefreshAsync(stoppingToken);
            await Task.Delay(settings.UsageInterval, time, stoppingToken);
        }
    }

    /// <summary>Reads every stream once; a stream that does not answer keeps its last reading.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var definition in streams)
        {
            try
            {
                var info = (await jetStream.GetStreamAsync(definition.Name, cancellationToken: cancellationToken)).Info;
                var fill = new StreamFill(definition.Name, definition.WhenFull, info.State.Bytes, info.Config.MaxBytes);
                if (fill.Ratio >= AlertRatio && (!fills.TryGetValue(definition.Name, out var before) || before.Ratio < AlertRatio))
                {
                    LogAboveAlert(logger, definition.Name, fill.Ratio * 100, definition.WhenFull);
                }

                fills[definition.Name] = fill;
            }
            catch (Exception ex) when (ex is NatsJSException or NATS.Client.Core.NatsException or TimeoutException
                                           || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogReadFailed(logger, definition.Name, ex.Message);
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = Fills;
        var data = current.ToDictionary(f => f.Stream, f => (object)Math.Round(f.Ratio, 3));
        var refusing = current.Where(f => f.Refusing).Select(f => f.Stream).ToList();
        if (refusing.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"{string.Join(", ", refusing)} full: new events wait in the outbox until room is made", data: data));
        }

        var high = current.Where(f => f.Ratio >= AlertRatio)
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Stream} {f.Ratio:P0}")).ToList();
        return Task.FromResult(HealthCheckResult.Healthy(
            high.Count > 0 ? $"above {AlertRatio:P0} of their limit: {string.Join(", ", high)}" : $"{current.Count} streams below {AlertRatio:P0}",
            data));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "JetStream stream {Stream} is {Percent:F0} % full (when full: {WhenFull})")]
    private static partial void LogAboveAlert(ILogger logger, string stream, double percent, StreamFullPolicy whenFull);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fill level of stream {Stream} not read: {Error}")]
    private static partial void LogReadFailed(ILogger logger, string stream, string error);
}
