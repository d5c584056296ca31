using System.Globalization;
using System.Text.Json;

using Giia.Events;

using Microsoft.Extensions.Options;

using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Giia.DlqWorker.Parking;

/// <summary>
/// Consumes <c>DLQ_EVENTS</c> and records each report in the ledger before acknowledging it, so a report is never
/// lost: a database failure leaves the message to be redelivered. Reports are recorded quickly and retries are
/// scheduled by time (see <see cref="Retry.RetryScheduler"/>), so one slow event never holds up the others.
/// </summary>
public sealed partial class DeadLetterIntake(INatsJSContext jetStream, StreamProvisioning streams, IServiceScopeFactory scopes,
    IOptions<EventsOptions> events, ILogger<DeadLetterIntake> logger) : BackgroundService
{
    public const string ConsumerName = "dlqworker-intake";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await streams.Ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var consumer = await jetStream.CreateOrUpdateConsumerAsync(EventStreams.DeadLetter, new ConsumerConfig(ConsumerName)
                {
                    FilterSubject = EventStreams.SubjectsByStream[EventStreams.DeadLetter],
                    AckPolicy = ConsumerConfigAckPolicy.Explicit,
                    AckWait = events.Value.Consumers.AckWait,
                    DeliverPolicy = ConsumerConfigDeliverPolicy.All,
                }, stoppingToken);
                await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: stoppingToken))
                {
                    await HandleAsync(message, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogConsumeFailed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task HandleAsync(INatsJSMsg<byte[]> message, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<DeadLetterLedger>();
            var consumer = message.HeaderValue(EventHeaders.Consumer) ?? "unknown";
            var eventId = EventIdOf(message);
            if (message.Subject.StartsWith(EventStreams.RecoveredPrefix, StringComparison.Ordinal))
            {
                await ledger.RecordRecoveredAsync(eventId, consumer, cancellationToken);
            }
            else
            {
                await ledger.RecordFailureAsync(ReportOf(message, eventId, consumer), cancellationToken);
            }

            await message.AckAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogRecordFailed(logger, message.Subject, ex);
            await message.NakAsync(delay: TimeSpan.FromSeconds(5), cancellationToken: cancellationToken);
        }
    }

    private static FailureReport ReportOf(INatsJSMsg<byte[]> message, string eventId, string consumer)
    {
        var payload = System.Text.Encoding.UTF8.GetString(message.Data ?? []);
        var (eventType, organizationId) = EnvelopeFacts(message.Data);
        var headers = new Dictionary<string, string>();
        foreach (var name in new[] { EventHeaders.TraceParent, EventHeaders.TraceState, EventHeaders.EventType })
        {
            if (message.HeaderValue(name) is { } value)
            {
                headers[name] = value;
            }
        }

        return new FailureReport(
            EventId: eventId,
            EventType: message.HeaderValue(EventHeaders.EventType) ?? eventType ?? "unknown",
            OriginalSubject: message.HeaderValue(EventHeaders.OriginalSubject) ?? message.Subject[EventStreams.DeadLetterPrefix.Length..],
            OriginalStream: message.HeaderValue(EventHeaders.OriginalStream),
            StreamSequence: long.TryParse(message.HeaderValue(EventHeaders.StreamSequence), CultureInfo.InvariantCulture, out var sequence) ? sequence : 0,
            Consumer: consumer,
            OrganizationId: organizationId,
            Retry: int.TryParse(message.HeaderValue(EventHeaders.RetryAttempt), CultureInfo.InvariantCulture, out var retry) ? retry : 0,
            Deliveries: int.TryParse(message.HeaderValue(EventHeaders.Attempts), CultureInfo.InvariantCulture, out var deliveries) ? deliveries : 1,
            Reason: message.HeaderValue(EventHeaders.Reason) ?? EventHeaders.ReasonHandler,
            Error: message.HeaderValue(EventHeaders.Error) ?? "",
            FailedAt: DateTimeOffset.TryParse(message.HeaderValue(EventHeaders.FailedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                ? at : DateTimeOffset.UtcNow,
            Payload: payload,
            Headers: headers);
    }

    /// <summary>The event id from the envelope, or the DLQ message id's first part when the body is not an envelope.</summary>
    private static string EventIdOf(INatsJSMsg<byte[]> message) =>
        EventEnvelope.TryReadId(message.Data)
        ?? message.HeaderValue(EventHeaders.MessageId)?.Split(':')[0]
        ?? $"seq-{message.Metadata?.Sequence.Stream}";

    private static (string? Type, Guid? OrganizationId) EnvelopeFacts(byte[]? body)
    {
        try
        {
            using var document = JsonDocument.Parse(body ?? []);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var organization = root.TryGetProperty("organizationid", out var o) && o.ValueKind == JsonValueKind.String
                && Guid.TryParse(o.GetString(), out var id) ? id : (Guid?)null;
            return (type, organization);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "DLQ intake stopped ({Error}); resuming")]
    private static partial void LogConsumeFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "DLQ report on {Subject} not recorded; it will be redelivered")]
    private static partial void LogRecordFailed(ILogger logger, string subject, Exception exception);
}
