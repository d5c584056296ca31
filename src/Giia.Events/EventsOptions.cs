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
}

public sealed class StreamOptions
{
    [Range(1, 5)]
    public int Replicas { get; set; } = 1;

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);
}

public sealed class ConsumerOptions
{
    /// <summary>Deliveries of one message to a consumer (the first plus redeliveries) before it is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 4;

    /// <summary>Delay before the first redelivery; each further one doubles it, up to <see cref="MaxRedeliveryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MaxRedeliveryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a delivered message may stay unacknowledged before JetStream redelivers it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);
}
