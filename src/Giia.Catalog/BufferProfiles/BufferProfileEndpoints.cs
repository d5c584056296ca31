using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Catalog.Common;
using Giia.Catalog.Http;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Catalog.BufferProfiles;

/// <summary><c>/api/buffer-profiles</c>: HTTP in and out of <see cref="BufferProfileQueries"/> and <see cref="BufferProfileCommands"/>.</summary>
public static class BufferProfileEndpoints
{
    public static IEndpointRouteBuilder MapBufferProfileEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/buffer-profiles").WithTags("Buffer profiles").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        api.MapGet("/", ListAsync).WithName("ListBufferProfiles").RequirePermission(Permissions.BuffersRead)
            .WithSummary("List buffer profiles")
            .WithDescription("One page of the organization's buffer profiles ordered by name, optionally only those of one status. Needs `buffers:read`.");
        api.MapGet("/{id}", GetAsync).WithName("GetBufferProfile").RequirePermission(Permissions.BuffersRead).ProducesETag()
            .WithSummary("Get a buffer profile")
            .WithDescription("One buffer profile of the organization, with its ETag for a later change. Needs `buffers:read`.");
        api.MapPost("/", CreateAsync).WithName("CreateBufferProfile").RequirePermission(Permissions.BuffersWrite).ProducesETag()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Create a buffer profile")
            .WithDescription("Creates a buffer profile; the name must be unique in the organization (409 otherwise) and the ADU parameters valid for the method. Publishes `buffer_profile.created`. Needs `buffers:write`.");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateBufferProfile").RequirePermission(Permissions.BuffersWrite).RequiresIfMatch()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Update a buffer profile")
            .WithDescription("Replaces a buffer profile's fields, based on the version named in If-Match. Publishes `buffer_profile.updated`. Needs `buffers:write`.");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteBufferProfile").RequirePermission(Permissions.BuffersDelete)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Delete a buffer profile")
            .WithDescription("Deletes a buffer profile no product uses (409 while products use it). Publishes `buffer_profile.deleted`. Needs `buffers:delete`.");
        return endpoints;
    }

    public static BufferProfileView View(BufferProfile b) =>
        new(b.Id, b.Name, b.Description, CatalogNames.Lower(b.AduMethod), b.LeadTimeFactor, b.VariabilityFactor,
            CatalogNames.Lower(b.Status), b.CreatedAt, b.UpdatedAt, ETags.Of(b.Version), b.AduHorizonDays, b.AduForwardHorizonDays, b.AduAlpha,
            b.AduPastWeight, b.AduForwardWeight, b.SpikeThresholdPercent, b.SpikeHorizonDays);

    private static async Task<Results<Ok<Page<BufferProfileView>>, ValidationProblem>> ListAsync(ClaimsPrincipal user,
        BufferProfileQueries profiles, [AllowedNames(typeof(BufferProfileStatus))] string? status, [PageNumber] int? page,
        [PageSize] int? pageSize, CancellationToken ct) =>
        CatalogHttp.Page(await profiles.ListAsync(CatalogHttp.OrganizationOf(user), new StatusFilter(status),
            new PageRequest(page, pageSize), ct), View);

    private static Task<Results<Ok<BufferProfileView>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user,
        BufferProfileQueries profiles, HttpContext http, CancellationToken ct) =>
        CatalogHttp.OkAsync(id, rowId => profiles.GetAsync(CatalogHttp.OrganizationOf(user), rowId, ct), View, http);

    private static async Task<Results<Created<BufferProfileView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        BufferProfileRequest request, ClaimsPrincipal user, BufferProfileCommands profiles, HttpContext http, CancellationToken ct) =>
        CatalogHttp.Created(await profiles.CreateAsync(CatalogHttp.OrganizationOf(user), request, ct), b => $"/api/buffer-profiles/{b.Id}", View,
            http);

    private static Task<Results<Ok<BufferProfileView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id,
        BufferProfileRequest request, ClaimsPrincipal user, BufferProfileCommands profiles, HttpContext http, CancellationToken ct) =>
        CatalogHttp.OkAsync(id, rowId => profiles.UpdateAsync(CatalogHttp.OrganizationOf(user), rowId, request, CatalogHttp.IfMatchOf(http), ct),
            View, http);

    private static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user,
        BufferProfileCommands profiles, CancellationToken ct) =>
        CatalogHttp.NoContentAsync(id, rowId => profiles.DeleteAsync(CatalogHttp.OrganizationOf(user), rowId, null, ct));
}
