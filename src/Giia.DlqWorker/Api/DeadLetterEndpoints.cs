using Giia.DlqWorker.Data;
using Giia.DlqWorker.Parking;
using Giia.ServiceDefaults;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Giia.DlqWorker.Api;

/// <summary>REST API over dead letters: list (filtered, paged), read one, replay one or many, discard.</summary>
public static class DeadLetterEndpoints
{
    private const string OperatorName = "operator";

    public static IEndpointRouteBuilder MapDeadLetterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/dead-letters")
            .WithTags("Dead letters")
            .AddEndpointFilter<OperatorKeyFilter>();

        api.MapGet("/", ListAsync).WithName("ListDeadLetters");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetDeadLetter");
        api.MapPost("/{id:guid}/replay", ReplayAsync).WithName("ReplayDeadLetter");
        api.MapPost("/replay", ReplayManyAsync).WithName("ReplayDeadLetters");
        api.MapPost("/{id:guid}/discard", DiscardAsync).WithName("DiscardDeadLetter");
        return endpoints;
    }

    public sealed record DeadLetterSummary(Guid Id, string EventId, string EventType, string Subject, string Consumer, string Reason,
        string Status, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ParkedAt, string? LastError);

    public sealed record DeadLetterDetail(Guid Id, string EventId, string EventType, string Subject, string? Stream, long StreamSequence,
        string Consumer, Guid? OrganizationId, string Reason, string Status, int RetriesSent, IReadOnlyList<DeadLetterAttempt> Attempts,
        string Payload, string Headers, DateTimeOffset FirstFailedAt, DateTimeOffset? ParkedAt, DateTimeOffset? ResolvedAt, string? ResolvedBy);

    public sealed record ReplayManyRequest(IReadOnlyList<Guid>? Ids);

    public sealed record ReplayOutcome(Guid Id, string Result);

    private static async Task<Results<Ok<Page<DeadLetterSummary>>, ValidationProblem>> ListAsync(
        DlqDbContext db, string? status, string? eventType, string? subject, string? consumer,
        DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        var paging = new PageRequest(page, pageSize);
        var errors = paging.Validate();
        DeadLetterStatus? statusFilter = null;
        if (status is not null)
        {
            if (Enum.TryParse<DeadLetterStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors["status"] = [$"status must be one of: {string.Join(", ", Enum.GetNames<DeadLetterStatus>().Select(n => n.ToLowerInvariant()))}."];
            }
        }

        if (from > to)
        {
            errors["from"] = ["from must not be after to."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.DeadLetters.AsNoTracking();
        if (statusFilter is { } s)
        {
            query = query.Where(d => d.Status == s);
        }

        if (!string.IsNullOrEmpty(eventType))
        {
            query = query.Where(d => d.EventType == eventType);
        }

        if (!string.IsNullOrEmpty(subject))
        {
            query = query.Where(d => d.OriginalSubject == subject);
        }

        if (!string.IsNullOrEmpty(consumer))
        {
            query = query.Where(d => d.Consumer == consumer);
        }

        if (from is { } f)
        {
            query = query.Where(d => d.FirstFailedAt >= f);
        }

        if (to is { } t)
        {
            query = query.Where(d => d.FirstFailedAt <= t);
        }

        var total = await query.LongCountAsync(cancellationToken);
        var rows = await query.OrderByDescending(d => d.FirstFailedAt).ThenBy(d => d.Id)
            .Skip(paging.Skip).Take(paging.Size)
            .ToListAsync(cancellationToken);
        var items = rows.Select(d => new DeadLetterSummary(d.Id, d.EventId, d.EventType, d.OriginalSubject, d.Consumer, d.Reason,
            d.Status.ToString().ToLowerInvariant(), d.Attempts.Count, d.FirstFailedAt, d.UpdatedAt, d.ParkedAt,
            d.Attempts.LastOrDefault()?.Error)).ToList();
        return TypedResults.Ok(new Page<DeadLetterSummary>(items, paging.Number, paging.Size, total));
    }

    private static async Task<Results<Ok<DeadLetterDetail>, ProblemHttpResult>> GetAsync(
        Guid id, DlqDbContext db, CancellationToken cancellationToken)
    {
        var d = await db.DeadLetters.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        return d is null
            ? TypedResults.Problem(NotFoundProblem(id))
            : TypedResults.Ok(new DeadLetterDetail(d.Id, d.EventId, d.EventType, d.OriginalSubject, d.OriginalStream, d.StreamSequence,
                d.Consumer, d.OrganizationId, d.Reason, d.Status.ToString().ToLowerInvariant(), d.RetriesSent, d.Attempts, d.Payload,
                d.Headers, d.FirstFailedAt, d.ParkedAt, d.ResolvedAt, d.ResolvedBy));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> ReplayAsync(
        Guid id, DeadLetterReplay replay, CancellationToken cancellationToken) =>
        await replay.ReplayAsync(id, OperatorName, cancellationToken) switch
        {
            OperatorActionResult.Done => TypedResults.Accepted((string?)null),
            OperatorActionResult.NotFound => TypedResults.Problem(NotFoundProblem(id)),
            OperatorActionResult.NotParked => TypedResults.Problem(NotParkedProblem(id)),
            _ => NatsUnavailableProblem(),
        };

    private static async Task<Results<Ok<IReadOnlyList<ReplayOutcome>>, ValidationProblem>> ReplayManyAsync(
        ReplayManyRequest request, DeadLetterReplay replay, CancellationToken cancellationToken)
    {
        if (request.Ids is not { Count: > 0 and <= PageRequest.MaxPageSize })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["ids"] = [$"ids must list between 1 and {PageRequest.MaxPageSize} dead letters."],
            });
        }

        var outcomes = new List<ReplayOutcome>();
        foreach (var id in request.Ids.Distinct())
        {
            var result = await replay.ReplayAsync(id, OperatorName, cancellationToken);
            outcomes.Add(new ReplayOutcome(id, result switch
            {
                OperatorActionResult.Done => "replayed",
                OperatorActionResult.NotFound => "not_found",
                OperatorActionResult.NotParked => "not_parked",
                _ => "nats_unavailable",
            }));
        }

        return TypedResults.Ok<IReadOnlyList<ReplayOutcome>>(outcomes);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DiscardAsync(
        Guid id, DeadLetterReplay replay, CancellationToken cancellationToken) =>
        await replay.DiscardAsync(id, OperatorName, cancellationToken) switch
        {
            OperatorActionResult.Done => TypedResults.NoContent(),
            OperatorActionResult.NotFound => TypedResults.Problem(NotFoundProblem(id)),
            _ => TypedResults.Problem(NotParkedProblem(id)),
        };

    private static ProblemDetails NotFoundProblem(Guid id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Dead letter not found",
        Detail = $"No dead letter has id {id}.",
    };

    private static ProblemDetails NotParkedProblem(Guid id) => new()
    {
        Status = StatusCodes.Status409Conflict,
        Title = "Dead letter is not parked",
        Detail = $"Dead letter {id} is not parked: only parked events can be replayed or discarded.",
    };

    private static ProblemHttpResult NatsUnavailableProblem() => TypedResults.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable, title: "NATS unavailable",
        detail: "The replay could not be published; the event stays parked. Try again when NATS is back.");
}
