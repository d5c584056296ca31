using System.Diagnostics.Metrics;

using Giia.ServiceDefaults;


namespace Giia.Events;

/// <summary>Counters of the event backbone, reported under the <c>Giia</c> meter (visible in the dashboard).</summary>
public sealed class EventsMetrics
{
    private readonly Counter<long> published;
    private readonly Counter<long> relayed;
    private readonly Counter<long> relayFailures;
    private readonly Counter<long> consumed;
    private readonly Counter<long> failed;
    private readonly Counter<long> deadLettered;

    public EventsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(GiiaTelemetry.MeterName);
        published = meter.CreateCounter<long>("giia.events.published", "{event}", "Events written to the outbox");
        relayed = meter.CreateCounter<long>("giia.events.relayed", "{event}", "Outbox rows published to JetStream");
        relayFailures = meter.CreateCounter<long>("giia.events.relay_failures", "{attempt}", "Failed attempts to publish an outbox row");
        consumed = meter.CreateCounter<long>("giia.events.consumed", "{event}", "Events a handler processed successfully");
        failed = meter.CreateCounter<long>("giia.events.failed", "{attempt}", "Handler attempts that failed");
        deadLettered = meter.CreateCounter<long>("giia.events.dead_lettered", "{event}", "Events copied to the DLQ stream");
        Meter = meter;
    }

    public Meter Meter { get; }

    public void Published(string type) => published.Add(1, new KeyValuePair<string, object?>("event.type", type));

    public void Relayed(string type) => relayed.Add(1, new KeyValuePair<string, object?>("event.type", type));

    public void RelayFailed() => relayFailures.Add(1);

    public void Consumed(string consumer) => consumed.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    public void Failed(string consumer) => failed.Add(1, new KeyValuePair<string, object?>("consumer", consumer));

    public void DeadLettered(string consumer, string reason) => deadLettered.Add(1,
        new KeyValuePair<string, object?>("consumer", consumer), new KeyValuePair<string, object?>("reason", reason));
}
