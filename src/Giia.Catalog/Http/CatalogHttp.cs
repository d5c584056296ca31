using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Catalog.Common;
using Giia.HttpApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Catalog.Http;

/// <summary>
/// What the REST endpoints share: the caller's organization, ids from routes, If-Match and ETags, and the
/// translation of operation outcomes into answers (RFC 9457 problem+json for every refusal).
/// </summary>
public static class CatalogHttp
{
    /// <summary>The caller's organization, from their validated token (the endpoints run only for authenticated callers).</summary>
    public static Guid OrganizationOf(ClaimsPrincipal user) =>
        Claims.OrganizationOf(user) ?? throw new InvalidOperationException("an authenticated caller without an organization");

    /// <summary>The request's If-Match header as sent (empty when absent): the precondition a change is based on.</summary>
    public static string IfMatchOf(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Headers.IfMatch.ToString();
    }

    /// <summary>The problem+json answer of a refusal other than <see cref="RefusalKind.Invalid"/>.</summary>
    public static ProblemHttpResult Problem(CatalogRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var status = refusal.Kind switch
        {
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.Stale => StatusCodes.Status412PreconditionFailed,
            RefusalKind.Conflict => StatusCodes.Status409Conflict,
            RefusalKind.PreconditionRequired => StatusCodes.Status428PreconditionRequired,
            _ => throw new ArgumentException($"{refusal.Kind} is answered as a validation problem", nameof(refusal)),
        };
        return TypedResults.Problem(statusCode: status, title: refusal.Title, detail: refusal.Detail);
    }

    /// <summary>A route id parsed, then the operation on it; a malformed id is the 400 of <see cref="RouteIds.TryParse(string?, string, out Guid, out ValidationProblem?)"/>.</summary>
    public static async Task<Results<Ok<TView>, ValidationProblem, ProblemHttpResult>> OkAsync<T, TView>(string id,
        Func<Guid, Task<CatalogOutcome<T>>> operation, Func<T, TView> view, HttpContext? etag = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RouteIds.TryParse(id, "id", out var rowId, out var invalid) ? Ok(await operation(rowId), view, etag) : invalid!;
    }

    /// <summary>200 with the view (and, given <paramref name="etag"/>, the ETag of its version), else the refusal.</summary>
    public static Results<Ok<TView>, ValidationProblem, ProblemHttpResult> Ok<T, TView>(CatalogOutcome<T> outcome, Func<T, TView> view,
        HttpContext? etag = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(view);
        if (!outcome.Succeeded)
        {
            return Refused<TView>(outcome.Refusal);
        }

        SetETag(etag, outcome.Version);
        return TypedResults.Ok(view(outcome.Value));
    }

    /// <summary>201 at <paramref name="location"/> with the view and its ETag, else the refusal.</summary>
    public static Results<Created<TView>, ValidationProblem, ProblemHttpResult> Created<T, TView>(CatalogOutcome<T> outcome,
        Func<T, string> location, Func<T, TView> view, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(view);
        if (!outcome.Succeeded)
        {
            return outcome.Refusal.Kind == RefusalKind.Invalid ? Validation(outcome.Refusal) : Problem(outcome.Refusal);
        }

        SetETag(http, outcome.Version);
        return TypedResults.Created(location(outcome.Value), view(outcome.Value));
    }

    /// <summary>A route id parsed, then the operation on it; 204 when done, else the refusal.</summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> NoContentAsync<T>(string id,
        Func<Guid, Task<CatalogOutcome<T>>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RouteIds.TryParse(id, "id", out var rowId, out var invalid) ? NoContent(await operation(rowId)) : invalid!;
    }

    /// <summary>204 when done, else the refusal.</summary>
    public static Results<NoContent, ValidationProblem, ProblemHttpResult> NoContent<T>(CatalogOutcome<T> outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Succeeded)
        {
            return TypedResults.NoContent();
        }

        return outcome.Refusal.Kind == RefusalKind.Invalid ? Validation(outcome.Refusal) : Problem(outcome.Refusal);
    }

    /// <summary>200 with one page of views, else the 400 naming the invalid filters and paging.</summary>
    public static Results<Ok<Page<TView>>, ValidationProblem> Page<T, TView>(CatalogOutcome<Page<T>> outcome, Func<T, TView> view)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(view);
        if (!outcome.Succeeded)
        {
            return Validation(outcome.Refusal);
        }

        var page = outcome.Value;
        return TypedResults.Ok(new Page<TView>([.. page.Items.Select(view)], page.PageNumber, page.PageSize, page.Total));
    }

    private static Results<Ok<TView>, ValidationProblem, ProblemHttpResult> Refused<TView>(CatalogRefusal refusal) =>
        refusal.Kind == RefusalKind.Invalid ? Validation(refusal) : Problem(refusal);

    private static ValidationProblem Validation(CatalogRefusal refusal) => refusal.Kind == RefusalKind.Invalid
        ? TypedResults.ValidationProblem(refusal.Errors)
        : throw new ArgumentException($"{refusal.Kind} is not a validation problem", nameof(refusal));

    private static void SetETag(HttpContext? http, uint version)
    {
        if (http is not null)
        {
            http.Response.Headers.ETag = ETags.Of(version);
        }
    }
}
