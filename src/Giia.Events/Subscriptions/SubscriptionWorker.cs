using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using Giia.ServiceDefaults;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Giia.Events.Subscriptions;

/// <summary>The durable consumer name, event subject and consumer settings of one subscription.</summary>
public sealed record SubscriptionDefinition(string Consumer, string EventType, string NatsSubject, ConsumerOptions Settings);

/// <summary>
/// Runs one subscription: a durable pull consumer on the event's subject, and a second one on
/// <c>retry.{consumer}.&gt;</c> through which the DLQ worker sends this consumer (and only this one) its retries.
/// The client holds at most <c>MaxAckPending</c> messages; each handler call has a timeout, and AckProgress keeps a
/// long one from being redelivered to another replica while it still runs. Success acks. A handler error is
/// redelivered after the next wait of the retry schedule (a NAK with delay; 2.9 servers ignore BackOff on NAK) for
/// the consumer's share of the schedule; then the message is copied to <c>dlq.{subject}</c> with headers saying why and
/// which waits remain (the DLQ worker continues the schedule), and terminated on the source. A message that breaks its
/// schema goes to the DLQ at once with reason <c>schema</c>.
/// </summary>
public sealed partial class SubscriptionWorker<TEvent, THandler>(
    SubscriptionDefinition definition,
    INatsJSContext jetStream,
    IServiceScopeFactory scopes,
    EventSchemaRegistry schemas,
    StreamProvisioning streams,
    IEnumerable<StreamDefinition> streamDefinitions,
    EventsMetrics metrics,
    TimeProvider time,
    ILogger<SubscriptionWorker<TEvent, THandler>> logger) : BackgroundService
    where TEvent : notnull
    where THandler : class, IHandleEvent<TEvent>
{
    private readonly ConsumerOptions settings = definition.Settings;
    private readonly IReadOnlyList<TimeSpan> schedule = definition.Settings.EffectiveRetrySchedule;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await streams.Ready.WaitAsync(stoppingToken);
        await Task.WhenAll(
            ConsumeForeverAsync(EventStreams.ForSubject(streamDefinitions, definition.NatsSubject), definition.Consumer,
                definition.NatsSubject, stoppingToken),
            ConsumeForeverAsync(EventStreams.Retry, definition.Consumer + "-retry",
                EventStreams.RetrySubject(definition.Consumer, ">"), stoppingToken));
    }

    private async Task ConsumeForeverAsync(string stream, string consumerName, string filterSubject, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var consumer = await jetStream.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig(consumerName)
                {
                    FilterSubject = filterSubject,
                    AckPolicy = ConsumerConfigAckPolicy.Explicit,
                    AckWait = settings.AckWait,
                    DeliverPolicy = ConsumerConfigDeliverPolicy.All,
                    MaxAckPending = settings.MaxAckPending,
                }, stoppingToken);

                // The client never buffers more than the server lets out unacknowledged.
                var fetch = new NatsJSConsumeOpts { MaxMsgs = settings.MaxAckPending };
                await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: fetch, cancellationToken: stoppingToken))
                {
                    await ProcessAsync(message, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogConsumeFailed(logger, consumerName, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task ProcessAsync(INatsJSMsg<byte[]> message, CancellationToken stoppingToken)
    {
        var delivery = (int)(message.Metadata?.NumDelivered ?? 1);
        var retryAttempt = int.TryParse(message.HeaderValue(EventHeaders.RetryAttempt), CultureInfo.InvariantCulture, out var r) ? r : 0;
        var originalSubject = retryAttempt > 0 ? message.HeaderValue(EventHeaders.OriginalSubject) ?? definition.NatsSubject : message.Subject;

        EventEnvelope envelope;
        TEvent data;
        try
        {
            envelope = EventEnvelope.Parse(message.Data ?? []);
            schemas.Validate(envelope);
            if (envelope.Type != definition.EventType)
            {
                throw new EventValidationException(envelope.Type, [$"expected type '{definition.EventType}'"]);
            }

            data = envelope.DataAs<TEvent>();
        }
        catch (Exception ex) when (ex is JsonException or EventValidationException or NotSupportedException or ArgumentException)
        {
            LogInvalid(logger, definition.Consumer, message.Subject, ex.Message);
            await DeadLetterAsync(message, originalSubject, EventHeaders.ReasonSchema, ex.Message, delivery, retryAttempt, stoppingToken);
            return;
        }

        using var activity = StartConsumerActivity(message, originalSubject, envelope);
        using var handlerTimeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        handlerTimeout.CancelAfter(settings.HandlerTimeout);
        try
        {
            await RunHandlerAsync(message, new EventContext<TEvent>(envelope, data, definition.Consumer, delivery, retryAttempt),
                handlerTimeout.Token);
            await message.AckAsync(cancellationToken: stoppingToken);
            metrics.Consumed(definition.Consumer);
            if (retryAttempt > 0)
            {
                await ReportRecoveredAsync(message, originalSubject, envelope.Id, retryAttempt, stoppingToken);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            var error = ex is OperationCanceledException && handlerTimeout.IsCancellationRequested
                ? $"TimeoutException: the handler did not finish within {settings.HandlerTimeout}"
                : $"{ex.GetType().Name}: {ex.Message}";
            activity?.SetStatus(ActivityStatusCode.Error, error);
            metrics.Failed(definition.Consumer);
            var lastAttempt = retryAttempt > 0 || delivery > settings.ConsumerRetries;
            LogHandlerFailed(logger, definition.Consumer, envelope.Id, delivery, lastAttempt, ex);
            if (lastAttempt)
            {
                await DeadLetterAsync(message, originalSubject, EventHeaders.ReasonHandler, error, delivery, retryAttempt, stoppingToken);
            }
            else
            {
                await message.NakAsync(delay: schedule[delivery - 1], cancellationToken: stoppingToken);
            }
        }
    }

    /// <summary>Runs the handler in a scope of its own, telling JetStream every third of AckWait that it still works.</summary>
    private async Task RunHandlerAsync(INatsJSMsg<byte[]> message, EventContext<TEvent> context, CancellationToken cancellationToken)
    {
        using var done = new CancellationTokenSource();
        var keepAlive = KeepAliveAsync(message, done.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<THandler>();
            await handler.HandleAsync(context, cancellationToken);
        }
        finally
        {
            await done.CancelAsync();
            await keepAlive;
        }
    }

    private async Task KeepAliveAsync(INatsJSMsg<byte[]> message, CancellationToken done)
    {
        try
        {
            while (true)
            {
                await Task.Delay(settings.AckWait / 3, time, done);
                await message.AckProgressAsync(cancellationToken: done);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The handler finished.
        }
        catch (NatsException ex)
        {
            LogProgressFailed(logger, definition.Consumer, ex.Message);
        }
    }

    /// <summary>
    /// Copies the message to <c>dlq.{subject}</c> and then terminates it on its source. If the copy cannot be published
    /// (NATS trouble), the message is NAKed instead, so it comes back rather than being lost.
    /// </summary>
    private async Task DeadLetterAsync(INatsJSMsg<byte[]> message, string originalSubject, string reason, string error,
        int delivery, int retryAttempt, CancellationToken cancellationToken)
    {
        var metadata = message.Metadata;
        var eventId = EventEnvelope.TryReadId(message.Data) is { } read && EventEnvelope.IsBoundedId(read) ? read : $"seq-{metadata?.Sequence.Stream}";
        var headers = new NatsHeaders
        {
            [EventHeaders.OriginalSubject] = originalSubject,
            [EventHeaders.OriginalStream] = metadata?.Stream ?? "",
            [EventHeaders.StreamSequence] = (metadata?.Sequence.Stream ?? 0).ToString(CultureInfo.InvariantCulture),
            [EventHeaders.Consumer] = definition.Consumer,
            [EventHeaders.Attempts] = delivery.ToString(CultureInfo.InvariantCulture),
            [EventHeaders.RetryAttempt] = retryAttempt.ToString(CultureInfo.InvariantCulture),
            [EventHeaders.Error] = HeaderSafe(error),
            [EventHeaders.Reason] = reason,
            [EventHeaders.FailedAt] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };
        if (retryAttempt == 0)
        {
            // The DLQ worker continues the schedule where this consumer's share of it ends.
            headers[EventHeaders.RetrySchedule] = RetrySchedules.Format(schedule.Skip(settings.ConsumerRetries));
        }

        CopyHeader(message, headers, EventHeaders.TraceParent);
        CopyHeader(message, headers, EventHeaders.TraceState);
        CopyHeader(message, headers, EventHeaders.EventType);

        try
        {
            var ack = await jetStream.PublishAsync(EventStreams.DeadLetterSubject(originalSubject), message.Data ?? [],
                opts: new NatsJSPubOpts { MsgId = $"{eventId}:{definition.Consumer}:dlq:{retryAttempt}" },
                headers: headers, cancellationToken: cancellationToken);
            ack.EnsureSuccess();
            // 2.9 servers ignore a reason on +TERM; the reason travels in the DLQ headers instead.
            await message.AckTerminateAsync(cancellationToken: cancellationToken);
            metrics.DeadLettered(definition.Consumer, reason);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogDeadLetterFailed(logger, definition.Consumer, eventId, ex.Message);
            await message.NakAsync(delay: TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        }
    }

    /// <summary>Tells the DLQ worker a retry succeeded, so it closes the record. Best effort: the event itself is done.</summary>
    private async Task ReportRecoveredAsync(INatsJSMsg<byte[]> message, string originalSubject, string eventId, int retryAttempt,
        CancellationToken cancellationToken)
    {
        try
        {
            var headers = new NatsHeaders
            {
                [EventHeaders.OriginalSubject] = originalSubject,
                [EventHeaders.Consumer] = definition.Consumer,
                [EventHeaders.RetryAttempt] = retryAttempt.ToString(CultureInfo.InvariantCulture),
            };
            CopyHeader(message, headers, EventHeaders.EventType);
            await jetStream.PublishAsync(EventStreams.RecoveredSubject(definition.Consumer, originalSubject), message.Data ?? [],
                opts: new NatsJSPubOpts { MsgId = $"{eventId}:{definition.Consumer}:recovered:{retryAttempt}" },
                headers: headers, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogRecoveredNotSent(logger, definition.Consumer, eventId, ex.Message);
        }
    }

    private static Activity? StartConsumerActivity(INatsJSMsg<byte[]> message, string subject, EventEnvelope envelope)
    {
        ActivityContext.TryParse(message.HeaderValue(EventHeaders.TraceParent), message.HeaderValue(EventHeaders.TraceState), out var parent);
        var activity = GiiaTelemetry.ActivitySource.StartActivity($"{subject} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "nats");
        activity?.SetTag("messaging.destination.name", subject);
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag("giia.event.type", envelope.Type);
        return activity;
    }

    private static void CopyHeader(INatsJSMsg<byte[]> message, NatsHeaders target, string name)
    {
        if (message.HeaderValue(name) is { Length: > 0 } value)
        {
            target[name] = value;
        }
    }

    /// <summary>NATS header values are single lines; errors are folded and cut to a sensible size.</summary>
    private static string HeaderSafe(string text)
    {
        var single = text.ReplaceLineEndings(" ");
        return single.Length <= 1000 ? single : single[..1000];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: consuming stopped ({Error}); resuming")]
    private static partial void LogConsumeFailed(ILogger logger, string consumer, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: message on {Subject} breaks its schema, dead-lettered: {Error}")]
    private static partial void LogInvalid(ILogger logger, string consumer, string subject, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: event {EventId} failed on delivery {Delivery} (last: {Last})")]
    private static partial void LogHandlerFailed(ILogger logger, string consumer, string eventId, int delivery, bool last, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Consumer}: event {EventId} could not be dead-lettered, will come back: {Error}")]
    private static partial void LogDeadLetterFailed(ILogger logger, string consumer, string eventId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: AckProgress not sent: {Error}")]
    private static partial void LogProgressFailed(ILogger logger, string consumer, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: recovery of event {EventId} not reported to the DLQ worker: {Error}")]
    private static partial void LogRecoveredNotSent(ILogger logger, string consumer, string eventId, string error);
}
