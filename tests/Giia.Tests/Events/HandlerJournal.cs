using System.Collections.Concurrent;
using System.Diagnostics;

using Giia.Events.Contracts;
using Giia.Events.Subscriptions;

namespace Giia.Tests.Events;

/// <summary>What the test's handlers saw: every attempt, with its time and outcome; and which organizations make them fail.</summary>
public sealed class HandlerJournal
{
    private readonly ConcurrentQueue<Attempt> attempts = new();

    public ConcurrentDictionary<Guid, bool> FailingOrganizations { get; } = new();

    public sealed record Attempt(string EventId, Guid OrganizationId, int Delivery, int RetryAttempt, DateTimeOffset At, bool Succeeded,
        ActivityTraceId TraceId);

    public void Record(Attempt attempt) => attempts.Enqueue(attempt);

    public IReadOnlyList<Attempt> For(string eventId) => attempts.Where(a => a.EventId == eventId).OrderBy(a => a.At).ToList();

    public IReadOnlyList<Attempt> ForOrganization(Guid organizationId) => attempts.Where(a => a.OrganizationId == organizationId).ToList();
}

/// <summary>Handles product.created; throws for organizations the test marked as failing.</summary>
public sealed class ScriptedProductHandler(HandlerJournal journal) : IHandleEvent<ProductCreated>
{
    public Task HandleAsync(EventContext<ProductCreated> context, CancellationToken cancellationToken)
    {
        var fail = journal.FailingOrganizations.ContainsKey(context.Data.OrganizationId);
        journal.Record(new HandlerJournal.Attempt(context.Envelope.Id, context.Data.OrganizationId, context.Delivery, context.RetryAttempt,
            DateTimeOffset.UtcNow, !fail, Activity.Current?.TraceId ?? default));
        return fail ? throw new InvalidOperationException($"scripted failure for organization {context.Data.OrganizationId}") : Task.CompletedTask;
    }
}
