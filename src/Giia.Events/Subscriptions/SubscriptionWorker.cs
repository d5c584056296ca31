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

/// <summary>The durable consumer name and event subject of one subscription.</summary>
public sealed record SubscriptionDefinition(string Consumer, string EventType, string NatsSubject);

/// <summary>
/// Runs one subscription: a durable pull consumer on the event's subject, and a second one on
/// <c>retry.{consumer}.&gt;</c> through which the DLQ worker sends this consumer (and only this one) its retries.
/// Success acks. A handler error is redelivered after a growing delay (a NAK with delay; 2.9 servers ignore BackOff
/// on NAK); after the last delivery the message is copied to <c>dlq.{subject}</c> with headers saying why, and
/// terminated on the source. A message that breaks its schema goes to the DLQ at once with reason <c>schema</c>.
/// </summary>
public sealed partial class SubscriptionWorker<TEvent, THandler>(
    SubscriptionDefinition definition,
    INatsJSContext jetStream,
    IServiceScopeFactory scopes,
    EventSchemaRegistry schemas,
    StreamProvisioning streams,
    IOptions<EventsOptions> options,
    EventsMetrics metrics,
    ILogger<SubscriptionWorker<TEvent, THandler>> logger) : BackgroundService
    where TEvent : notnull
    where THandler : class, IHandleEvent<TEvent>
{
    private readonly ConsumerOptions settings = options.Value.Consumers;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await streams.Ready.WaitAsync(stoppingToken);
        await Task.WhenAll(
            ConsumeForeverAsync(EventStreams.ForSubject(definition.NatsSubject), definition.Consumer, definition.NatsSubject, stoppingToken),
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
                    MaxAckPending = 1000,
                }, stoppingToken);

                await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: stoppingToken))
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
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var handler = scope.ServiceProvider.GetRequiredService<THandler>();
                await handler.HandleAsync(new EventContext<TEvent>(envelope, data, definition.Consumer, delivery, retryAttempt), stoppingToken);
            }

            await message.AckAsync(cancellationToken: stoppingToken);
            metrics.Consumed(definition.Consumer);
            if (retryAttempt > 0)
            {
                await ReportRecoveredAsync(message, originalSubject, envelope.Id, retryAttempt, stoppingToken);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            metrics.Failed(definition.Consumer);
            var lastAttempt = retryAttempt > 0 || delivery >= settings.MaxDeliveries;
            LogHandlerFailed(logger, definition.Consumer, envelope.Id, delivery, lastAttempt, ex);
            if (lastAttempt)
            {
                await DeadLetterAsync(message, originalSubject, EventHeaders.ReasonHandler, $"{ex.GetType().Name}: {ex.Message}",
                    delivery, retryAttempt, stoppingToken);
            }
            else
            {
                await message.NakAsync(delay: RedeliveryDelay(delivery), cancellationToken: stoppingToken);
            }
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
        var eventId = EventEnvelope.TryReadId(message.Data) ?? $"seq-{metadata?.Sequence.Stream}";
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
            [EventHeaders.FailedAt] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
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
            await message.NakAsync(delay: settings.MaxRedeliveryDelay, cancellationToken: cancellationToken);
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

    private TimeSpan RedeliveryDelay(int delivery)
    {
        var delay = settings.RedeliveryDelay * Math.Pow(2, Math.Min(delivery - 1, 16));
        return delay < settings.MaxRedeliveryDelay ? delay : settings.MaxRedeliveryDelay;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: recovery of event {EventId} not reported to the DLQ worker: {Error}")]
    private static partial void LogRecoveredNotSent(ILogger logger, string consumer, string eventId, string error);
}
