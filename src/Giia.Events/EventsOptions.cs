using System.ComponentModel.DataAnnotations;

namespace Giia.Events;

/// <summary>Settings of the event backbone (<c>Giia:Events</c>), validated at start.</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Giia:Events";

    /// <summary>CloudEvents <c>source</c> of this service's events; defaults to <c>/giia/{application name}</c>.</summary>
    public string? Source { get; set; }

    [Required]
    public OutboxOptions Outbox { get; set; } = new();

    [Required]
    public StreamOptions Streams { get; set; } = new();

    [Required]
    public ConsumerOptions Consumers { get; set; } = new();
}

public sealed class OutboxOptions
{
    /// <summary>How often the relay looks for unsent rows when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>The longest wait between two attempts to publish a row while NATS is away.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(15);

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long sent rows are kept (for investigation) before the cleanup removes them.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long <c>processed_events</c> remembers a handled event: longer than any copy of it can still arrive (the
    /// streams keep events 7 days; retries end within hours).
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan ProcessedRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the cleanup runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows one cleanup statement deletes at most, so none runs long or holds many locks.</summary>
    [Range(100, 100000)]
    public int DeleteBatchSize { get; set; } = 5000;
}

public sealed class StreamOptions : IValidatableObject
{
    /// <summary>Replicas of a stream when it is created (an operator may change it afterwards).</summary>
    [Range(1, 5)]
    public int Replicas { get; set; } = 1;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Per-stream limits of this environment, by stream name (<c>Giia:Events:Streams:Limits:AUDIT_EVENTS:MaxBytes</c>);
    /// a stream not named here gets its definition's defaults. Written when a stream is created, or when it has no
    /// limit yet: an operator's later change on the server is kept.
    /// </summary>
    public Dictionary<string, StreamLimitOptions> Limits { get; set; } = [];

    /// <summary>How often the streams' fill level is read for the usage gauge and readiness.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan UsageInterval { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, limits) in Limits)
        {
            if (limits.MaxBytes is < 1L << 20)
            {
                yield return new ValidationResult("must be at least 1048576 (1 MiB)", [$"Limits:{name}:MaxBytes"]);
            }

            if (limits.MaxAge is { } age && (age < TimeSpan.FromMinutes(1) || age > TimeSpan.FromDays(365)))
            {
                yield return new ValidationResult("must be between 00:01:00 and 365.00:00:00", [$"Limits:{name}:MaxAge"]);
            }
        }
    }
}

/// <summary>One stream's limits in one environment; unset values take the stream definition's defaults.</summary>
public sealed class StreamLimitOptions
{
    public long? MaxBytes { get; set; }

    public TimeSpan? MaxAge { get; set; }
}

/// <summary>
/// How subscriptions consume and retry. Every value can be set for one subscription under
/// <c>Giia:Events:Subscriptions:{consumer}</c> (e.g. <c>auth-verification-email</c>), over the code's defaults for it.
/// </summary>
public sealed class ConsumerOptions : IValidatableObject
{
    /// <summary>The default retry schedule: about an hour (61 min 10 s) of waits before an event is parked.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(20),
    ];

    /// <summary>
    /// Waits before each retry of a failed event, in order; after the last one fails the event is parked for an
    /// operator. The first <see cref="ConsumerRetries"/> are redeliveries by JetStream to this consumer, the rest
    /// retries sent by the DLQ worker (kept in its database, so they survive restarts). Unset: <see cref="DefaultRetrySchedule"/>.
    /// </summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>How many of the schedule's retries the consumer does itself (the rest go through the DLQ worker).</summary>
    [Range(0, 20)]
    public int ConsumerRetries { get; set; } = 1;

    /// <summary>How long a delivered message may stay unacknowledged before JetStream redelivers it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest one handler call may run before it is cancelled and counted as a failure. Below
    /// <see cref="AckWait"/> by default; a longer handler is kept alive with AckProgress every third of AckWait.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan HandlerTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Messages delivered and not yet acknowledged, and the client's fetch size: what this consumer holds at once. Keep
    /// <c>MaxAckPending x handler time</c> below <see cref="AckWait"/>, or buffered messages are redelivered elsewhere.
    /// </summary>
    [Range(1, 10000)]
    public int MaxAckPending { get; set; } = 20;

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule ?? DefaultRetrySchedule;

    public ConsumerOptions Copy() => (ConsumerOptions)MemberwiseClone();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var schedule = EffectiveRetrySchedule;
        if (schedule.Count > 20 || schedule.Any(d => d < TimeSpan.FromMilliseconds(10) || d > TimeSpan.FromDays(1)))
        {
            yield return new ValidationResult("must list at most 20 waits, each between 00:00:00.010 and 1.00:00:00", [nameof(RetrySchedule)]);
        }

        if (ConsumerRetries > schedule.Count)
        {
            yield return new ValidationResult("must not exceed the number of waits in RetrySchedule", [nameof(ConsumerRetries)]);
        }
    }
}
