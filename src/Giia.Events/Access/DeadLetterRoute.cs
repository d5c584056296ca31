namespace Giia.Events.Access;

/// <summary>
/// Whether a dead-letter report may be believed. Its routing (which consumer failed, on which subject) travels in
/// headers its publisher writes, and the DLQ worker sends retries to <c>retry.{consumer}.{subject}</c> by them: a service
/// that may publish <c>dlq.catalog.product.created</c> must not be able to name another service's consumer there and
/// have the worker deliver that consumer an event of its choosing. A report is believed when its NATS subject is the one
/// its headers imply (which the server's permissions let only the consumer's service publish) and the table grants that
/// consumer that subject.
/// </summary>
public static class DeadLetterRoute
{
    /// <summary>
    /// Why the report on <paramref name="natsSubject"/> with the consumer and original-subject headers
    /// <paramref name="consumer"/> and <paramref name="originalSubject"/> is refused, or null when it is believed.
    /// </summary>
    public static string? Refusal(string natsSubject, string? consumer, string? originalSubject)
    {
        ArgumentNullException.ThrowIfNull(natsSubject);
        if (string.IsNullOrEmpty(consumer) || !IsLiteralToken(consumer))
        {
            return "the report names no valid consumer";
        }

        string expected;
        if (natsSubject.StartsWith(EventStreams.RecoveredPrefix, StringComparison.Ordinal))
        {
            var own = EventStreams.RecoveredSubject(consumer, "");
            originalSubject ??= natsSubject.StartsWith(own, StringComparison.Ordinal) ? natsSubject[own.Length..] : null;
            if (originalSubject is null)
            {
                return $"a recovery of '{consumer}' reported on '{natsSubject}', another consumer's subject";
            }

            expected = EventStreams.RecoveredSubject(consumer, originalSubject);
        }
        else
        {
            originalSubject ??= natsSubject.StartsWith(EventStreams.DeadLetterPrefix, StringComparison.Ordinal)
                ? natsSubject[EventStreams.DeadLetterPrefix.Length..]
                : "";
            expected = EventStreams.DeadLetterSubject(originalSubject);
        }

        if (!string.Equals(natsSubject, expected, StringComparison.Ordinal))
        {
            return $"reported on '{natsSubject}', not on '{expected}' as its headers say";
        }

        return IsGranted(consumer, originalSubject)
            ? null
            : $"'{consumer}' is not granted '{originalSubject}' in {nameof(NatsAccessTable)}";
    }

    /// <summary>
    /// Whether <paramref name="consumer"/> is a subscription the table grants <paramref name="originalSubject"/> to. A
    /// consumer of a user the table does not restrict (its name not <c>{service}-…</c> of a listed service: the operator's,
    /// a test host's) is not the table's to refuse, as in <see cref="NatsAccessTable.EnsureGranted"/>.
    /// </summary>
    public static bool IsGranted(string consumer, string originalSubject)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(originalSubject);
        if (!IsLiteralSubject(originalSubject) || !IsLiteralToken(consumer))
        {
            return false;
        }

        var service = consumer.Split('-', 2)[0];
        return NatsAccessTable.For(service) is not { } access
            || access.Consumers.Any(c => c.DeadLetters && c.Consumer == consumer && SubjectMatches(c.FilterSubject, originalSubject));
    }

    /// <summary>NATS subject matching: <c>*</c> is one token, a final <c>&gt;</c> one or more.</summary>
    public static bool SubjectMatches(string filter, string subject)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(subject);
        var f = filter.Split('.');
        var s = subject.Split('.');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == ">")
            {
                return i == f.Length - 1 && s.Length > i;
            }

            if (i >= s.Length || (f[i] != "*" && f[i] != s[i]))
            {
                return false;
            }
        }

        return f.Length == s.Length;
    }

    // A subject a message can be published on: non-empty tokens, no wildcard, no white space.
    private static bool IsLiteralSubject(string subject) => subject.Length > 0 && subject.Split('.').All(IsLiteralToken);

    private static bool IsLiteralToken(string token) =>
        token.Length > 0 && token != "*" && token != ">" && !token.Any(c => c == '.' || char.IsWhiteSpace(c) || char.IsControl(c));
}
