namespace Giia.Events.Access;

/// <summary>
/// A durable consumer a service's NATS user may create and read: <paramref name="Consumer"/> on
/// <paramref name="Stream"/>, filtered to <paramref name="FilterSubject"/>.
/// </summary>
/// <param name="DeadLetters">
/// Whether the consumer is a subscription (<c>AddSubscription</c>): it then also has a retry consumer
/// (<c>{consumer}-retry</c> on <c>RETRY_EVENTS</c>) and may report dead letters and recoveries of its subject.
/// </param>
public sealed record ConsumerGrant(string Stream, string Consumer, string FilterSubject, bool DeadLetters);
