namespace Giia.Events;

/// <summary>The JetStream streams of GIIA and the subject conventions that route into them.</summary>
public static class EventStreams
{
    public const string Auth = "AUTH_EVENTS";
    public const string Catalog = "CATALOG_EVENTS";
    public const string DeadLetter = "DLQ_EVENTS";
    public const string Retry = "RETRY_EVENTS";

    public const string DeadLetterPrefix = "dlq.";
    public const string RetryPrefix = "retry.";

    /// <summary>Published by a consumer when a retried event finally succeeded, so the DLQ worker can close its record.</summary>
    public const string RecoveredPrefix = "dlq.recovered.";

    public static readonly IReadOnlyDictionary<string, string> SubjectsByStream = new Dictionary<string, string>
    {
        [Auth] = "auth.>",
        [Catalog] = "catalog.>",
        [DeadLetter] = "dlq.>",
        [Retry] = "retry.>",
    };

    /// <summary>The stream whose subjects contain <paramref name="subject"/>.</summary>
    public static string ForSubject(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var prefix = subject.Split('.', 2)[0] + ".>";
        return SubjectsByStream.FirstOrDefault(s => s.Value == prefix).Key
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

    public const string ReasonHandler = "handler";
    public const string ReasonSchema = "schema";
}
