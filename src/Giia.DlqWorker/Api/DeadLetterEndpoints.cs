using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Client;
using Giia.DlqWorker.Data;
using Giia.DlqWorker.Parking;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Giia.DlqWorker.Api;

/// <summary>
/// REST API over dead letters: list (filtered, paged), read one, replay one or many, discard. Callers are users with
/// Auth bearer tokens holding <c>dlq:*</c> (Admin by default); each sees and acts on their own organization's dead
/// letters only, since the payloads are that organization's data. A replay or discard records who did it and when.
/// </summary>
public static class DeadLetterEndpoints
{
    /// <summary>The largest body the API accepts: a replay of <see cref="PageRequest.MaxPageSize"/> ids.</summary>
    public const long MaxRequestBodyBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapDeadLetterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/dead-letters").WithTags("Dead letters").WithRequestBodyLimit(MaxRequestBodyBytes);
        api.MapGet("/", ListAsync).WithName("ListDeadLetters").RequirePermission(Permissions.DlqRead)
            .WithSummary("List dead letters")
            .WithDescription("One page of the organization's dead letters, newest first, filtered by status, event type, subject, consumer and time range. Needs `dlq:read`.");
        api.MapGet("/{id}", GetAsync).WithName("GetDeadLetter").RequirePermission(Permissions.DlqRead).ProducesValidationProblem()
            .WithSummary("Get a dead letter")
            .WithDescription("One dead letter with its payload, headers, attempts and operator actions. Needs `dlq:read`.");
        api.MapPost("/{id}/replay", ReplayAsync).WithName("ReplayDeadLetter").RequirePermission(Permissions.DlqReplay).ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Replay a parked dead letter")
            .WithDescription("Publishes the parked event again to its consumer (202); 409 when it is not parked, 503 when NATS does not answer. Needs `dlq:replay`.");
        api.MapPost("/replay", ReplayManyAsync).WithName("ReplayDeadLetters").RequirePermission(Permissions.DlqReplay)
            .WithSummary("Replay several dead letters")
            .WithDescription("Replays up to 100 parked dead letters and answers each one's outcome. Needs `dlq:replay`.");
        api.MapPost("/{id}/discard", DiscardAsync).WithName("DiscardDeadLetter").RequirePermission(Permissions.DlqDiscard).ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Discard a parked dead letter")
            .WithDescription("Marks a parked dead letter discarded (kept for audit, never replayed); 409 when it is not parked. Needs `dlq:discard`.");
        return endpoints;
    }

    public sealed record DeadLetterSummary(Guid Id, string EventId, string EventType, string Subject, string Consumer, string Reason,
        string Status, int Attempts, DateTimeOffset FirstFailedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ParkedAt, string? LastError);

    public sealed record DeadLetterDetail(Guid Id, string EventId, string EventType, string Subject, string? Stream, long StreamSequence,
        string Consumer, Guid? OrganizationId, string Reason, string Status, int RetriesSent, IReadOnlyList<DeadLetterAttempt> Attempts,
        string Payload, string Headers, DateTimeOffset FirstFailedAt, DateTimeOffset? ParkedAt, DateTimeOffset? ResolvedAt, string? ResolvedBy,
        IReadOnlyList<DeadLetterOperatorAction> OperatorActions);

    [RequestExample("""{"ids":["0193f1c2-7d4e-7a51-9c1e-5b8f2a6d3e01"]}""")]
    public sealed record ReplayManyRequest([Required, MinLength(1), MaxLength(PageRequest.MaxPageSize), Description("1 to 100 dead letter ids.")] IReadOnlyList<Guid>? Ids);

    public sealed record ReplayOutcome(Guid Id, string Result);

    private static async Task<Results<Ok<Page<DeadLetterSummary>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, DlqDbContext db, [AllowedNames(typeof(DeadLetterStatus))] string? status, [MaxLength(100)] string? eventType,
        [MaxLength(300)] string? subject, [MaxLength(200)] string? consumer, DateTimeOffset? from, DateTimeOffset? to,
        [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken cancellationToken)
    {
        var paging = new PageRequest(page, pageSize);
        var names = Enum.GetNames<DeadLetterStatus>().Select(n => n.ToLowerInvariant()).ToArray();
        // Names only: a number ("1") or an unknown name is refused, not mapped to whatever enum value it happens to be.
        var fieldErrors = new FieldErrors()
            .OneOf("status", status?.ToLowerInvariant(), names)
            .OptionalText("eventType", eventType, 100)
            .OptionalText("subject", subject, 300)
            .OptionalText("consumer", consumer, 200)
            .Timestamp("from", from)
            .Timestamp("to", to);
        DeadLetterStatus? statusFilter = status is not null && !fieldErrors.Errors.ContainsKey("status")
            ? Enum.Parse<DeadLetterStatus>(status, ignoreCase: true)
            : null;
        var errors = paging.Validate();
        foreach (var (field, messages) in fieldErrors.Errors)
        {
            errors[field] = [.. messages];
        }

        if (from > to)
        {
            errors["from"] = ["from must not be after to."];
        }

        from = FieldErrors.Utc(from);
        to = FieldErrors.Utc(to);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = DeadLetterReplay.Of(db, OperatorOf(user).OrganizationId).AsNoTracking();
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

    private static async Task<Results<Ok<DeadLetterDetail>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, DlqDbContext db, CancellationToken cancellationToken)
    {
        if (!RouteIds.TryParse(id, "id", out var deadLetterId, out var malformed))
        {
            return malformed;
        }

        var d = await DeadLetterReplay.Of(db, OperatorOf(user).OrganizationId).AsNoTracking().SingleOrDefaultAsync(x => x.Id == deadLetterId, cancellationToken);
        return d is null
            ? TypedResults.Problem(NotFoundProblem(deadLetterId))
            : TypedResults.Ok(new DeadLetterDetail(d.Id, d.EventId, d.EventType, d.OriginalSubject, d.OriginalStream, d.StreamSequence,
                d.Consumer, d.OrganizationId, d.Reason, d.Status.ToString().ToLowerInvariant(), d.RetriesSent, d.Attempts, d.Payload,
                d.Headers, d.FirstFailedAt, d.ParkedAt, d.ResolvedAt, d.ResolvedBy, d.OperatorActions));
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> ReplayAsync(
        string id, ClaimsPrincipal user, DeadLetterReplay replay, CancellationToken cancellationToken)
    {
        if (!RouteIds.TryParse(id, "id", out var deadLetterId, out var malformed))
        {
            return malformed;
        }

        return await replay.ReplayAsync(deadLetterId, OperatorOf(user), cancellationToken) switch
        {
            OperatorActionResult.Done => TypedResults.Accepted((string?)null),
            OperatorActionResult.NotFound => TypedResults.Problem(NotFoundProblem(deadLetterId)),
            OperatorActionResult.NotParked => TypedResults.Problem(NotParkedProblem(deadLetterId)),
            _ => NatsUnavailableProblem(),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<ReplayOutcome>>, ValidationProblem>> ReplayManyAsync(
        ReplayManyRequest request, ClaimsPrincipal user, DeadLetterReplay replay, CancellationToken cancellationToken)
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
            var result = await replay.ReplayAsync(id, OperatorOf(user), cancellationToken);
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

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DiscardAsync(
        string id, ClaimsPrincipal user, DeadLetterReplay replay, CancellationToken cancellationToken)
    {
        if (!RouteIds.TryParse(id, "id", out var deadLetterId, out var malformed))
        {
            return malformed;
        }

        return await replay.DiscardAsync(deadLetterId, OperatorOf(user), cancellationToken) switch
        {
            OperatorActionResult.Done => TypedResults.NoContent(),
            OperatorActionResult.NotFound => TypedResults.Problem(NotFoundProblem(deadLetterId)),
            _ => TypedResults.Problem(NotParkedProblem(deadLetterId)),
        };
    }

    /// <summary>The authenticated caller (the endpoints' permission requirement admitted only such callers).</summary>
    private static DeadLetterOperator OperatorOf(ClaimsPrincipal user) =>
        Claims.UserIdOf(user) is { } id && Claims.OrganizationOf(user) is { } organization
            ? new DeadLetterOperator(id, organization, user.FindFirst(Claims.Email)?.Value)
            : throw new InvalidOperationException("an authorized caller without a user or organization");

    private static ProblemDetails NotFoundProblem(Guid id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Dead letter not found",
        Detail = $"No dead letter of your organization has id {id}.",
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
