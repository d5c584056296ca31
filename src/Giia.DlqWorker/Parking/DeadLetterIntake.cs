using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;

using Giia.DlqWorker.Retry;
using Giia.Events;
using Giia.Events.Access;
using Giia.ServiceDefaults;

using Microsoft.Extensions.Options;

using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Giia.DlqWorker.Parking;

/// <summary>
/// Consumes <c>DLQ_EVENTS</c> and records each report in the ledger before acknowledging it, so a report is never
/// lost: a database failure leaves the message to be redelivered, with a growing delay, up to
/// <c>Giia:Dlq:IntakeMaxDeliver</c> times; then it is left in the stream (terminated for this consumer) with a Critical
/// log and <c>giia.dlq.unrecorded</c>. A report whose fields do not fit the ledger (an id longer than 100 characters, a
/// name past its column) is recorded under bounded names with reason <c>schema</c>, parked at once. Reports are
/// recorded quickly and retries are scheduled by time (see <see cref="Retry.RetryScheduler"/>), so one slow event
/// never holds up the others. A report whose routing is not to be believed (<see cref="DeadLetterRoute"/>: a consumer
/// the table does not grant its subject, or a subject other than the one its headers imply) is acknowledged, counted in
/// <c>giia.dlq.refused</c> and logged, and never recorded: a recorded one could be retried or replayed to the consumer it
/// names.
/// </summary>
public sealed partial class DeadLetterIntake : BackgroundService
{
    public const string ConsumerName = "dlqworker-intake";

    private readonly INatsJSContext jetStream;
    private readonly StreamProvisioning streams;
    private readonly IServiceScopeFactory scopes;
    private readonly IOptions<EventsOptions> events;
    private readonly DlqOptions settings;
    private readonly ILogger<DeadLetterIntake> logger;
    private readonly Counter<long> unrecorded;
    private readonly Counter<long> refused;

    public DeadLetterIntake(INatsJSContext jetStream, StreamProvisioning streams, IServiceScopeFactory scopes, IOptions<EventsOptions> events,
        IOptions<DlqOptions> options, IMeterFactory meters, ILogger<DeadLetterIntake> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        this.jetStream = jetStream;
        this.streams = streams;
        this.scopes = scopes;
        this.events = events;
        settings = options.Value;
        this.logger = logger;
        unrecorded = meters.Create(GiiaTelemetry.MeterName).CreateCounter<long>("giia.dlq.unrecorded", "{report}",
            "DLQ reports the intake gave up recording (left in DLQ_EVENTS)");
        refused = meters.Create(GiiaTelemetry.MeterName).CreateCounter<long>("giia.dlq.refused", "{report}",
            "DLQ reports refused for a route the NATS access table does not grant (acknowledged, never retried)");
    }

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
                    MaxDeliver = settings.IntakeMaxDeliver,
                    MaxAckPending = 100,
                }, stoppingToken);
                await foreach (var message in consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = 100 },
                                   cancellationToken: stoppingToken))
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
            if (DeadLetterRoute.Refusal(message.Subject, message.HeaderValue(EventHeaders.Consumer),
                    message.HeaderValue(EventHeaders.OriginalSubject)) is { } refusal)
            {
                refused.Add(1);
                LogRefused(logger, message.Subject, message.Metadata?.Sequence.Stream ?? 0, refusal);
                await message.AckAsync(cancellationToken: cancellationToken);
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<DeadLetterLedger>();
            var report = ReportOf(message);
            if (message.Subject.StartsWith(EventStreams.RecoveredPrefix, StringComparison.Ordinal))
            {
                await ledger.RecordRecoveredAsync(report.EventId, report.Consumer, cancellationToken);
            }
            else
            {
                await ledger.RecordFailureAsync(report, cancellationToken);
            }

            await message.AckAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var delivery = (int)(message.Metadata?.NumDelivered ?? 1);
            if (delivery >= settings.IntakeMaxDeliver)
            {
                unrecorded.Add(1);
                LogGaveUp(logger, message.Subject, message.Metadata?.Sequence.Stream ?? 0, delivery, ex);
                await message.AckTerminateAsync(cancellationToken: cancellationToken);
                return;
            }

            LogRecordFailed(logger, message.Subject, delivery, ex);
            var delay = TimeSpan.FromSeconds(Math.Min(5 * Math.Pow(2, Math.Min(delivery - 1, 10)), 60));
            await message.NakAsync(delay: delay, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The report as the ledger can store it: every field within its column, or the report marked <c>schema</c>.</summary>
    public static FailureReport ReportOf(INatsJSMsg<byte[]> message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sequence = message.Metadata?.Sequence.Stream ?? 0;
        var payload = System.Text.Encoding.UTF8.GetString(message.Data ?? []);
        var (eventType, organizationId) = EnvelopeFacts(message.Data);
        var headers = new Dictionary<string, string>();
        foreach (var name in new[] { EventHeaders.TraceParent, EventHeaders.TraceState, EventHeaders.EventType })
        {
            if (message.HeaderValue(name) is { Length: <= 500 } value)
            {
                headers[name] = value;
            }
        }

        var problems = new List<string>();
        var eventId = Bounded(EventEnvelope.TryReadId(message.Data) ?? message.HeaderValue(EventHeaders.MessageId)?.Split(':')[0],
            EventEnvelope.IsBoundedId, $"seq-{sequence}", "event id", problems);
        var consumer = Bounded(message.HeaderValue(EventHeaders.Consumer), v => v.Length <= 200, "unknown", "consumer", problems);
        var subject = Bounded(message.HeaderValue(EventHeaders.OriginalSubject) ?? message.Subject[EventStreams.DeadLetterPrefix.Length..],
            v => v.Length <= 300, "unknown", "subject", problems);
        var type = Bounded(message.HeaderValue(EventHeaders.EventType) ?? eventType, v => v.Length <= 100, "unknown", "event type", problems);
        var stream = message.HeaderValue(EventHeaders.OriginalStream) is { Length: <= 100 } s ? s : null;
        var reason = message.HeaderValue(EventHeaders.Reason) is EventHeaders.ReasonSchema ? EventHeaders.ReasonSchema : EventHeaders.ReasonHandler;
        var error = message.HeaderValue(EventHeaders.Error) ?? "";
        if (problems.Count > 0)
        {
            reason = EventHeaders.ReasonSchema;
            error = $"report refused: {string.Join("; ", problems)}. {error}";
        }

        return new FailureReport(
            EventId: eventId,
            EventType: type,
            OriginalSubject: subject,
            OriginalStream: stream,
            StreamSequence: long.TryParse(message.HeaderValue(EventHeaders.StreamSequence), CultureInfo.InvariantCulture, out var original) ? original : 0,
            Consumer: consumer,
            OrganizationId: organizationId,
            Retry: int.TryParse(message.HeaderValue(EventHeaders.RetryAttempt), CultureInfo.InvariantCulture, out var retry) && retry >= 0 ? retry : 0,
            Deliveries: int.TryParse(message.HeaderValue(EventHeaders.Attempts), CultureInfo.InvariantCulture, out var deliveries) ? deliveries : 1,
            Reason: reason,
            Error: error,
            FailedAt: DateTimeOffset.TryParse(message.HeaderValue(EventHeaders.FailedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                ? at : DateTimeOffset.UtcNow,
            Payload: payload,
            Headers: headers,
            RetrySchedule: RetrySchedules.Parse(message.HeaderValue(EventHeaders.RetrySchedule)));
    }

    private static string Bounded(string? value, Func<string, bool> fits, string fallback, string field, List<string> problems)
    {
        if (value is null)
        {
            return fallback;
        }

        if (fits(value))
        {
            return value;
        }

        problems.Add($"{field} does not fit ({value.Length} characters)");
        return fallback;
    }

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

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "DLQ report on {Subject} (DLQ_EVENTS sequence {Sequence}) refused and not recorded: {Refusal}")]
    private static partial void LogRefused(ILogger logger, string subject, ulong sequence, string refusal);

    [LoggerMessage(Level = LogLevel.Error, Message = "DLQ report on {Subject} not recorded (delivery {Delivery}); it will be redelivered")]
    private static partial void LogRecordFailed(ILogger logger, string subject, int delivery, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "DLQ report on {Subject} (DLQ_EVENTS sequence {Sequence}) could not be recorded after {Delivery} deliveries; it stays in the stream for an operator")]
    private static partial void LogGaveUp(ILogger logger, string subject, ulong sequence, int delivery, Exception exception);
}
