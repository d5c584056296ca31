using System.Diagnostics.Metrics;
using System.Net.Http.Json;

using Giia.DlqWorker.Parking;
using Giia.DlqWorker.Retry;
using Giia.ServiceDefaults;

using Microsoft.Extensions.Options;

namespace Giia.DlqWorker.Alerts;

/// <summary>
/// Raises the alarm when an event is parked: a Critical log, the <c>giia.dlq.parked</c> counter, and, when configured,
/// a JSON POST to a webhook (a failing webhook is logged, never blocks parking).
/// </summary>
public sealed partial class DeadLetterAlerts
{
    private readonly Counter<long> parked;
    private readonly HttpClient http;
    private readonly Uri? webhook;
    private readonly ILogger<DeadLetterAlerts> logger;

    public DeadLetterAlerts(IMeterFactory meters, HttpClient http, IOptions<DlqOptions> options, ILogger<DeadLetterAlerts> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        parked = meters.Create(GiiaTelemetry.MeterName).CreateCounter<long>("giia.dlq.parked", "{event}", "Events parked after their retries");
        this.http = http;
        webhook = options.Value.AlertWebhookUrl;
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

        try
        {
            using var response = await http.PostAsJsonAsync(webhook, new
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
            }, cancellationToken);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            LogWebhookFailed(logger, deadLetter.EventId, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Event {EventId} ({EventType}) parked for consumer {Consumer} after {Attempts} failed attempts: {LastError}")]
    private static partial void LogParked(ILogger logger, string eventId, string eventType, string consumer, int attempts, string lastError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook for parked event {EventId} failed: {Error}")]
    private static partial void LogWebhookFailed(ILogger logger, string eventId, string error);
}
