namespace Giia.Events.Access;

/// <summary>
/// What one service's NATS user may do: publish its own subjects, create and read its own consumers, keep the streams
/// it knows in place, and nothing else. The server's <c>permissions</c> block is derived from this
/// (<see cref="PublishAllowed"/>, <see cref="SubscribeAllowed"/>), locally, in the published manifest's container and in
/// deploy/k8s.
/// </summary>
/// <param name="User">The NATS user, also the service's short name (the prefix of its consumers and of its inbox).</param>
/// <param name="Publishes">Subjects of the service's own events and notices.</param>
/// <param name="Consumers">Its durable consumers.</param>
/// <param name="OwnedStreams">Streams whose settings this service brings to the code's (<c>$JS.API.STREAM.UPDATE</c>).</param>
/// <param name="KnownStreams">Streams it creates when missing and reads the state of (every shared stream, and its own).</param>
/// <param name="ListensToAuthNotices">Whether it subscribes to Auth's invalidation notices (<c>Giia.Auth.Client</c>).</param>
public sealed record ServiceNatsAccess(
    string User,
    IReadOnlyList<string> Publishes,
    IReadOnlyList<ConsumerGrant> Consumers,
    IReadOnlyList<string> OwnedStreams,
    IReadOnlyList<string> KnownStreams,
    bool ListensToAuthNotices)
{
    /// <summary>The inbox prefix of this user's connections: replies to its requests, and no one else's, reach it.</summary>
    public string InboxPrefix => Nats.NatsClientExtensions.InboxPrefixFor(User);

    public IReadOnlyList<string> PublishAllowed =>
    [
        .. Publishes,
        "$JS.API.INFO",
        .. KnownStreams.SelectMany(stream => new[] { $"$JS.API.STREAM.INFO.{stream}", $"$JS.API.STREAM.CREATE.{stream}" }),
        .. OwnedStreams.Select(stream => $"$JS.API.STREAM.UPDATE.{stream}"),
        .. ConsumerFilters().SelectMany(ConsumerApi),
        .. Consumers.Where(c => c.DeadLetters).SelectMany(c => new[]
        {
            EventStreams.DeadLetterSubject(c.FilterSubject),
            EventStreams.RecoveredSubject(c.Consumer, c.FilterSubject),
        }),
    ];

    public IReadOnlyList<string> SubscribeAllowed =>
    [
        $"{InboxPrefix}.>",
        .. ListensToAuthNotices ? new[] { "invalidation.auth.>" } : [],
    ];

    /// <summary>Every consumer the user may create: each subscription's own and its retry consumer.</summary>
    public IEnumerable<(string Stream, string Consumer)> AllConsumers() => ConsumerFilters().Select(c => (c.Stream, c.Consumer));

    /// <summary>
    /// Every consumer the user may create with the one filter it may give it: a subscription's event subject, and
    /// <c>retry.{consumer}.&gt;</c> for its retry consumer (as <c>SubscriptionWorker</c> creates them).
    /// </summary>
    public IEnumerable<(string Stream, string Consumer, string FilterSubject)> ConsumerFilters() =>
        Consumers.SelectMany(c => c.DeadLetters
            ? new[] { (c.Stream, c.Consumer, c.FilterSubject), (EventStreams.Retry, $"{c.Consumer}-retry", EventStreams.RetrySubject(c.Consumer, ">")) }
            : [(c.Stream, c.Consumer, c.FilterSubject)]);

    // Create only with the granted filter in the subject: NATS.Net sends a consumer with one FilterSubject to
    // $JS.API.CONSUMER.CREATE.{stream}.{consumer}.{filter}, and the server refuses a body whose filter differs from the
    // subject's. The forms without a filter (CREATE.{stream}.{consumer}, CONSUMER.DURABLE.CREATE) would accept any
    // filter in the body, so they are not granted. Then info, pull and acknowledge (the ack subject in its v1 form and
    // in the v2 form with domain and account hash).
    private static IEnumerable<string> ConsumerApi((string Stream, string Consumer, string FilterSubject) c) =>
    [
        $"$JS.API.CONSUMER.CREATE.{c.Stream}.{c.Consumer}.{c.FilterSubject}",
        $"$JS.API.CONSUMER.INFO.{c.Stream}.{c.Consumer}",
        $"$JS.API.CONSUMER.MSG.NEXT.{c.Stream}.{c.Consumer}",
        $"$JS.ACK.{c.Stream}.{c.Consumer}.>",
        $"$JS.ACK.*.*.{c.Stream}.{c.Consumer}.>",
    ];
}
