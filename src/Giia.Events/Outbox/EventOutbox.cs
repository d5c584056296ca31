using System.Diagnostics;

using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using OpenTelemetry.Context.Propagation;

namespace Giia.Events.Outbox;

/// <summary>
/// Writes events into a DbContext's outbox, validated against their schema: saved by the caller's own
/// <c>SaveChanges</c>, in the same transaction as the change, or not at all.
/// </summary>
public sealed class EventOutbox(EventSchemaRegistry schemas, IOptions<EventsOptions> options, TimeProvider time, EventsMetrics metrics)
{
    private static readonly TraceContextPropagator TraceContext = new();

    private readonly string source = options.Value.Source!;

    /// <summary>
    /// Adds the event to <paramref name="db"/>; when it is about an aggregate (<paramref name="subject"/>) its
    /// <c>aggregateversion</c> is assigned as the row is inserted, in the order of the aggregate's commits.
    /// Throws <see cref="EventValidationException"/> (and adds nothing) when it is invalid.
    /// </summary>
    /// <remarks>The returned envelope is the event as validated, before its version is known.</remarks>
    public EventEnvelope Enqueue<TEvent>(DbContext db, TEvent data, Guid? organizationId, string? subject = null)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(db);
        var (envelope, message) = Create(data, organizationId, subject);
        db.Set<OutboxMessage>().Add(message);
        return envelope;
    }

    /// <summary>
    /// The outbox row for an event, for writers that store rows in bulk (<see cref="OutboxBulkWriter"/>) in their own
    /// transaction; throws <see cref="EventValidationException"/> when the event is invalid.
    /// </summary>
    public (EventEnvelope Envelope, OutboxMessage Message) Create<TEvent>(TEvent data, Guid? organizationId, string? subject = null)
        where TEvent : notnull
    {
        var envelope = schemas.Create(data, source, organizationId, subject, time);
        var ordered = GiiaEventAttribute.Of(typeof(TEvent)).Ordered;
        var info = schemas.Get(envelope.Type, envelope.SchemaVersion);

        // A producer span per event: the consumer's span will be its child, so one trace runs from request to handler.
        using var activity = GiiaTelemetry.ActivitySource.StartActivity($"{info.NatsSubject} create", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "nats");
        activity?.SetTag("messaging.destination.name", info.NatsSubject);
        activity?.SetTag("messaging.message.id", envelope.Id);
        var context = activity?.Context ?? Activity.Current?.Context;
        // W3C trace context as OpenTelemetry's propagator writes it (the relay and consumers parse it with ActivityContext).
        var carrier = new Dictionary<string, string>(2, StringComparer.Ordinal);
        if (context is { } current)
        {
            TraceContext.Inject(new PropagationContext(current, default), carrier, static (headers, key, value) => headers[key] = value);
        }

        var now = time.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = Guid.Parse(envelope.Id),
            NatsSubject = info.NatsSubject,
            EventType = envelope.Type,
            Payload = System.Text.Encoding.UTF8.GetString(envelope.ToUtf8Json()),
            TraceParent = carrier.GetValueOrDefault(EventHeaders.TraceParent),
            // A caller's tracestate may be longer than the column; the trace continues without it rather than failing the change.
            TraceState = carrier.GetValueOrDefault(EventHeaders.TraceState) is { Length: <= OutboxMessage.MaxTraceStateLength } state ? state : null,
            Aggregate = ordered ? subject : null,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        metrics.Published(envelope.Type);
        return (envelope, message);
    }
}
