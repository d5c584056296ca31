using System.Diagnostics.Metrics;
using System.Net.Http.Json;

using Giia.DlqWorker.Parking;
using Giia.DlqWorker.Retry;
using Giia.ServiceDefaults;

using Microsoft.Extensions.Options;

namespace Giia.DlqWorker.Alerts;

/// <summary>
/// Raises the alarm when an event is parked: a Critical log, the <c>giia.dlq.parked</c> counter, and, when configured,
/// one JSON POST to a webhook. The POST is sent once (no resilience handler: a retried POST is a duplicate alert),
/// within <c>Giia:Dlq:AlertTimeout</c>; a failure of any kind is counted in <c>giia.dlq.alert_failures</c> and logged
/// without the URL (it may hold the webhook's secret), and never blocks parking.
/// </summary>
public sealed partial class DeadLetterAlerts
{
    public const string HttpClientName = "dlq-alerts";

    private readonly Counter<long> parked;
    private readonly Counter<long> alertFailures;
    private readonly IHttpClientFactory httpClients;
    private readonly Uri? webhook;
    private readonly TimeSpan timeout;
    private readonly ILogger<DeadLetterAlerts> logger;

    public DeadLetterAlerts(IMeterFactory meters, IHttpClientFactory httpClients, IOptions<DlqOptions> options, ILogger<DeadLetterAlerts> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        var meter = meters.Create(GiiaTelemetry.MeterName);
        parked = meter.CreateCounter<long>("giia.dlq.parked", "{event}", "Events parked after their retries");
        alertFailures = meter.CreateCounter<long>("giia.dlq.alert_failures", "{alert}", "Parked-event alerts the webhook did not take");
        this.httpClients = httpClients;
        webhook = options.Value.AlertWebhookUrl;
        timeout = options.Value.AlertTimeout;
        this.logger = logger;
    }

    public async Task RaiseParkedAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        var lastError = deadLetter.Attempts.LastOrDefault()?.Error ?? "";
        LogParked(logger, deadLetter.EventId, deadLetter.EventType, deadLetter.Consumer, deadLetter.Attempts.Count, lastError);
        parked.Add(1, new KeyValuePair<string, object?>("consumer", deadLetter.Consumer),
            new KeyValuePair<string, object?>("event.type", deadLetter.EventType));

        if (webhook is null)
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook)
            {
                Content = JsonContent.Create(new
                {
                    alert = "dead_letter_parked",
                    id = deadLetter.Id,
                    eventId = deadLetter.EventId,
                    eventType = deadLetter.EventType,
                    subject = deadLetter.OriginalSubject,
                    consumer = deadLetter.Consumer,
                    reason = deadLetter.Reason,
                    attempts = deadLetter.Attempts.Count,
                    lastError,
                    parkedAt = deadLetter.ParkedAt,
                }),
            };
            request.Options.Set(GiiaTelemetry.Untraced, true);
            using var http = httpClients.CreateClient(HttpClientName);
            using var response = await http.SendAsync(request, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                Failed(deadLetter, $"status {(int)response.StatusCode}");
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception's message can name the URL: only its kind is logged.
            Failed(deadLetter, deadline.IsCancellationRequested ? $"no answer within {timeout}" : ex.GetType().Name);
        }
    }

    private void Failed(DeadLetter deadLetter, string why)
    {
        alertFailures.Add(1);
        LogWebhookFailed(logger, deadLetter.EventId, why);
    }

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Event {EventId} ({EventType}) parked for consumer {Consumer} after {Attempts} failed attempts: {LastError}")]
    private static partial void LogParked(ILogger logger, string eventId, string eventType, string consumer, int attempts, string lastError);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert webhook for parked event {EventId} failed: {Why}")]
    private static partial void LogWebhookFailed(ILogger logger, string eventId, string why);
}
