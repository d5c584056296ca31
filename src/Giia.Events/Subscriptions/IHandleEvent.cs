namespace Giia.Events.Subscriptions;

/// <summary>
/// Handles one event type for one subscription. Throwing means "not done": the message is redelivered with a growing
/// delay and, after the last attempt, dead-lettered. Handlers must be idempotent on the event id
/// (see <see cref="ProcessedEventsExtensions.HandleOnceAsync"/>).
/// </summary>
public interface IHandleEvent<TEvent> where TEvent : notnull
{
    Task HandleAsync(EventContext<TEvent> context, CancellationToken cancellationToken);
}

/// <param name="Envelope">The CloudEvents envelope as received.</param>
/// <param name="Data">The typed event data.</param>
/// <param name="Consumer">The durable consumer handling it (one per subscription).</param>
/// <param name="Delivery">Which delivery of the message this is to the consumer (1 for the first).</param>
/// <param name="RetryAttempt">0 for a normal delivery; n for the DLQ worker's n-th retry or replay.</param>
public sealed record EventContext<TEvent>(EventEnvelope Envelope, TEvent Data, string Consumer, int Delivery, int RetryAttempt)
    where TEvent : notnull;
