using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Ddmrp.Api;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Ddmrp.Recalculations;

public static class RecalculationEndpoints
{
    public static IEndpointRouteBuilder MapRecalculationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/buffers/recalculations").WithTags("Recalculations");
        api.MapPost("/", StartAsync).WithName("StartRecalculation").ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Recalculate every buffer of the organization")
            .WithDescription("Queues a background job for every product with a buffer profile (not discontinued), split into chunks that the service's replicas share; answers 202 with the job and its `Location`. Buffers are calculated from the buffer engine's copy of Catalog, kept from Catalog's events. 409 while another whole-organization job runs (its id is in `runningJobId`). Needs `buffers:write`.")
            .RequirePermission(Permissions.BuffersWrite).WithRequestBodyLimit(RequestBodyLimits.None);
        api.MapGet("/", ListAsync).WithName("ListRecalculations")
            .WithSummary("List recalculation jobs")
            .WithDescription("The organization's jobs, newest first: manual, nightly, and those Catalog changes started, each with its progress. Needs `buffers:read`.")
            .RequirePermission(Permissions.BuffersRead).WithRequestBodyLimit(RequestBodyLimits.None);
        api.MapGet("/{jobId}", GetAsync).WithName("GetRecalculation")
            .WithSummary("Get a recalculation job")
            .WithDescription("A job's progress (products calculated and skipped, chunks done) and up to 100 products it could not calculate, with why. Needs `buffers:read`.")
            .RequirePermission(Permissions.BuffersRead).WithRequestBodyLimit(RequestBodyLimits.None);
        return endpoints;
    }

    private static async Task<Results<Accepted<RecalculationJobView>, ProblemHttpResult>> StartAsync(ClaimsPrincipal user,
        RecalculationJobs jobs, CancellationToken ct)
    {
        var organizationId = DdmrpApi.OrganizationOf(user);
        var (queued, running) = await jobs.StartForOrganizationAsync(organizationId, RecalculationTrigger.Manual, Claims.UserIdOf(user), null, ct);
        if (queued is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Recalculation already running",
                detail: $"Job {running!.Id} is recalculating the organization; follow it at /api/buffers/recalculations/{running.Id}.",
                extensions: new Dictionary<string, object?> { ["runningJobId"] = running.Id });
        }

        var view = await jobs.FindAsync(organizationId, queued.Id, ct);
        return TypedResults.Accepted($"/api/buffers/recalculations/{queued.Id}", view);
    }

    private static async Task<Results<Ok<RecalculationJobView>, ValidationProblem, ProblemHttpResult>> GetAsync(string jobId, ClaimsPrincipal user,
        RecalculationJobs jobs, CancellationToken ct)
    {
        if (!DdmrpApi.TryParseId(jobId, "jobId", out var id, out var invalid))
        {
            return invalid!;
        }

        return await jobs.FindAsync(DdmrpApi.OrganizationOf(user), id, ct) is { } view
            ? TypedResults.Ok(view)
            : DdmrpApi.Problem(StatusCodes.Status404NotFound, "Recalculation not found", $"No recalculation job {id} in your organization.");
    }

    private static async Task<Results<Ok<Page<RecalculationJobView>>, ValidationProblem>> ListAsync(int? page, int? pageSize, ClaimsPrincipal user,
        RecalculationJobs jobs, CancellationToken ct)
    {
        var request = new PageRequest(page, pageSize);
        var errors = new FieldErrors();
        foreach (var (field, messages) in request.Validate())
        {
            errors.Add(field, messages[0]);
        }

        return errors.Any ? errors.Problem() : TypedResults.Ok(await jobs.ListAsync(DdmrpApi.OrganizationOf(user), request, ct));
    }
}
