using System.ComponentModel.DataAnnotations;

namespace Giia.DlqWorker.Retry;

/// <summary>Settings of the DLQ worker (<c>Giia:Dlq</c>).</summary>
public sealed class DlqOptions : IValidatableObject
{
    public const string SectionName = "Giia:Dlq";

    /// <summary>
    /// The retry waits for a dead letter whose report names none (reports from the event library always carry the
    /// rest of their subscription's schedule): the default schedule's share after the consumer's own redelivery.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(20),
    ];

    /// <summary>Waits before each retry of a dead letter whose report carries no schedule. Unset: <see cref="DefaultRetrySchedule"/>.</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>How often due retries are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A record still <c>Retrying</c> with no next retry, or <c>Replayed</c> with no outcome, this long after its last
    /// change is stuck (its publish never happened or its worker died): the sweeper puts it back on its way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a recovered or discarded record is kept before it is deleted (parked ones stay until resolved).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ResolvedRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Rows one retention statement deletes at most.</summary>
    [Range(100, 100000)]
    public int DeleteBatchSize { get; set; } = 5000;

    /// <summary>Deliveries of one DLQ report to the intake before it gives up on recording it (alerting, and leaving it in DLQ_EVENTS).</summary>
    [Range(2, 1000)]
    public int IntakeMaxDeliver { get; set; } = 60;

    /// <summary>Optional: a URL that receives a JSON POST for every parked event. A secret (Slack-style URLs hold their token): never logged.</summary>
    public Uri? AlertWebhookUrl { get; set; }

    /// <summary>How long one alert POST may take; it is sent once, never retried (a retry would duplicate the alert).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AlertTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule ?? DefaultRetrySchedule;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var schedule = EffectiveRetrySchedule;
        if (schedule.Count > Events.RetrySchedules.MaxWaits || schedule.Any(d => d < TimeSpan.FromMilliseconds(10) || d > TimeSpan.FromDays(1)))
        {
            yield return new ValidationResult("must list at most 20 waits, each between 00:00:00.010 and 1.00:00:00", [nameof(RetrySchedule)]);
        }
    }
}
