namespace Giia.Events;

/// <summary>The JetStream streams every GIIA service shares and the subject conventions that route into them.</summary>
public static class EventStreams
{
    public const string Auth = "AUTH_EVENTS";
    public const string Audit = "AUDIT_EVENTS";
    public const string Catalog = "CATALOG_EVENTS";
    public const string Ddmrp = "DDMRP_EVENTS";
    public const string DeadLetter = "DLQ_EVENTS";
    public const string Retry = "RETRY_EVENTS";

    public const string DeadLetterPrefix = "dlq.";
    public const string RetryPrefix = "retry.";

    /// <summary>Published by a consumer when a retried event finally succeeded, so the DLQ worker can close its record.</summary>
    public const string RecoveredPrefix = "dlq.recovered.";

    private const long GiB = 1L << 30;
    private const long MiB = 1L << 20;

    /// <summary>
    /// The shared streams and their default limits, sized for a 10 GiB JetStream store (docs/architecture/events.md):
    /// audit copies drop their oldest when full, since <c>audit_logs</c> keeps every record; everything else refuses new
    /// messages, which then wait in the outboxes, rather than lose what only the stream holds.
    /// </summary>
    public static readonly IReadOnlyList<StreamDefinition> Shared =
    [
        new(Auth, "auth.>", StreamFullPolicy.RefuseNew, 1 * GiB, TimeSpan.FromDays(7)),
        new(Audit, "audit.>", StreamFullPolicy.DropOldest, 4 * GiB, TimeSpan.FromDays(7)),
        new(Catalog, "catalog.>", StreamFullPolicy.RefuseNew, 1 * GiB, TimeSpan.FromDays(7)),
        new(Ddmrp, "ddmrp.>", StreamFullPolicy.RefuseNew, 1 * GiB, TimeSpan.FromDays(7)),
        new(DeadLetter, "dlq.>", StreamFullPolicy.RefuseNew, 512 * MiB, TimeSpan.FromDays(7)),
        new(Retry, "retry.>", StreamFullPolicy.RefuseNew, 512 * MiB, TimeSpan.FromDays(7)),
    ];

    /// <summary>
    /// The buffer engine's work queue of recalculation chunks: its own stream (added with <c>AddStream</c>), declared
    /// here so that <see cref="Access.NatsAccessTable"/> can grant it.
    /// </summary>
    public static readonly StreamDefinition DdmrpWorkQueue = new("DDMRP_WORK", "ddmrp-work.>", StreamFullPolicy.RefuseNew, 256 * MiB,
        TimeSpan.FromDays(2), WorkQueue: true);

    /// <summary>Subjects of each shared stream, by name.</summary>
    public static readonly IReadOnlyDictionary<string, string> SubjectsByStream = Shared.ToDictionary(s => s.Name, s => s.Subjects);

    /// <summary>The shared stream whose subjects contain <paramref name="subject"/>.</summary>
    public static string ForSubject(string subject) => ForSubject(Shared, subject);

    /// <summary>The stream of <paramref name="streams"/> whose subjects contain <paramref name="subject"/>.</summary>
    public static string ForSubject(IEnumerable<StreamDefinition> streams, string subject)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(subject);
        var prefix = subject.Split('.', 2)[0] + ".>";
        return streams.FirstOrDefault(s => s.Subjects == prefix)?.Name
            ?? throw new ArgumentException($"No stream holds subject '{subject}'.", nameof(subject));
    }

    public static string DeadLetterSubject(string originalSubject) => DeadLetterPrefix + originalSubject;

    public static string RetrySubject(string consumer, string originalSubject) => $"{RetryPrefix}{consumer}.{originalSubject}";

    public static string RecoveredSubject(string consumer, string originalSubject) => $"{RecoveredPrefix}{consumer}.{originalSubject}";
}

/// <summary>NATS header names GIIA uses, beyond JetStream's own.</summary>
public static class EventHeaders
{
    public const string MessageId = "Nats-Msg-Id";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string EventType = "Giia-Event-Type";

    public const string OriginalSubject = "Giia-Dlq-Original-Subject";
    public const string OriginalStream = "Giia-Dlq-Stream";
    public const string StreamSequence = "Giia-Dlq-Stream-Sequence";
    public const string Consumer = "Giia-Dlq-Consumer";
    public const string Attempts = "Giia-Dlq-Attempts";
    public const string Error = "Giia-Dlq-Error";
    public const string Reason = "Giia-Dlq-Reason";
    public const string FailedAt = "Giia-Dlq-Failed-At";

    /// <summary>Which DLQ retry a message is (1, 2, 3…); absent on a first delivery.</summary>
    public const string RetryAttempt = "Giia-Retry-Attempt";

    /// <summary>On a first dead-lettering: the waits of the consumer's retry schedule the DLQ worker still owes it.</summary>
    public const string RetrySchedule = "Giia-Retry-Schedule";

    public const string ReasonHandler = "handler";
    public const string ReasonSchema = "schema";
}
