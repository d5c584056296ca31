using System.ComponentModel.DataAnnotations;

namespace Giia.DlqWorker.Retry;

/// <summary>Settings of the DLQ worker (<c>Giia:Dlq</c>).</summary>
public sealed class DlqOptions
{
    public const string SectionName = "Giia:Dlq";

    /// <summary>Retries of a failed event (to the consumer that failed) before it is parked.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; each next retry waits twice as long (1 s, 2 s, 4 s by default).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often due retries are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Optional: a URL that receives a JSON POST for every parked event.</summary>
    public Uri? AlertWebhookUrl { get; set; }

    public TimeSpan DelayBeforeRetry(int retry) => RetryDelay * Math.Pow(2, Math.Max(retry - 1, 0));
}
