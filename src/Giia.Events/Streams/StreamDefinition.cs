namespace Giia.Events;

/// <summary>What a stream does when it reaches its byte limit.</summary>
public enum StreamFullPolicy
{
    /// <summary>Refuse new messages: the outbox keeps them and readiness reports the stream full. For events nothing else stores.</summary>
    RefuseNew,

    /// <summary>Drop the oldest messages: for copies of records the database keeps (the audit trail).</summary>
    DropOldest,
}

/// <summary>
/// One JetStream stream as the code owns it: its name, subjects, retention, what happens when it is full and its default
/// limits. The limits are an environment's to choose (<c>Giia:Events:Streams:Limits:{Name}</c>) and an operator's to
/// change on the server afterwards; see <see cref="StreamProvisioner"/>.
/// </summary>
/// <param name="WorkQueue">Messages are removed once acknowledged (work-queue retention) instead of kept to the limits.</param>
public sealed record StreamDefinition(
    string Name,
    string Subjects,
    StreamFullPolicy WhenFull,
    long DefaultMaxBytes,
    TimeSpan DefaultMaxAge,
    bool WorkQueue = false);
