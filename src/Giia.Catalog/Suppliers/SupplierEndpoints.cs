using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Catalog.Common;
using Giia.Catalog.Http;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Catalog.Suppliers;

/// <summary><c>/api/suppliers</c>: HTTP in and out of <see cref="SupplierQueries"/> and <see cref="SupplierCommands"/>.</summary>
public static class SupplierEndpoints
{
    public static IEndpointRouteBuilder MapSupplierEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/suppliers").WithTags("Suppliers").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        api.MapGet("/", ListAsync).WithName("ListSuppliers").RequirePermission(Permissions.CatalogRead)
            .WithSummary("List suppliers")
            .WithDescription("One page of the organization's suppliers ordered by code, optionally only those of one status. Needs `catalog:read`.");
        api.MapGet("/{id}", GetAsync).WithName("GetSupplier").RequirePermission(Permissions.CatalogRead).ProducesETag()
            .WithSummary("Get a supplier")
            .WithDescription("One supplier of the organization, with its ETag for a later change. Needs `catalog:read`.");
        api.MapPost("/", CreateAsync).WithName("CreateSupplier").RequirePermission(Permissions.CatalogWrite).ProducesETag()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Create a supplier")
            .WithDescription("Creates a supplier; the code must be unique in the organization (409 otherwise). Publishes `supplier.created`. Needs `catalog:write`.");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateSupplier").RequirePermission(Permissions.CatalogWrite).RequiresIfMatch()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Update a supplier")
            .WithDescription("Replaces a supplier's fields, based on the version named in If-Match. Publishes `supplier.updated`. Needs `catalog:write`.");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteSupplier").RequirePermission(Permissions.CatalogDelete)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Delete a supplier")
            .WithDescription("Deletes a supplier no product is linked to (409 while links remain). Publishes `supplier.deleted`. Needs `catalog:delete`.");
        return endpoints;
    }

    public static SupplierView View(Supplier s) =>
        new(s.Id, s.Code, s.Name, s.ContactName, s.ContactEmail, s.ContactPhone, s.DefaultLeadTimeDays, CatalogNames.Lower(s.Status),
            s.CreatedAt, s.UpdatedAt, ETags.Of(s.Version));

    private static async Task<Results<Ok<Page<SupplierView>>, ValidationProblem>> ListAsync(ClaimsPrincipal user, SupplierQueries suppliers,
        [AllowedNames(typeof(SupplierStatus))] string? status, [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken ct) =>
        CatalogHttp.Page(await suppliers.ListAsync(CatalogHttp.OrganizationOf(user), new StatusFilter(status), new PageRequest(page, pageSize), ct),
            View);

    private static Task<Results<Ok<SupplierView>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user,
        SupplierQueries suppliers, HttpContext http, CancellationToken ct) =>
        CatalogHttp.OkAsync(id, rowId => suppliers.GetAsync(CatalogHttp.OrganizationOf(user), rowId, ct), View, http);

    private static async Task<Results<Created<SupplierView>, ValidationProblem, ProblemHttpResult>> CreateAsync(SupplierRequest request,
        ClaimsPrincipal user, SupplierCommands suppliers, HttpContext http, CancellationToken ct) =>
        CatalogHttp.Created(await suppliers.CreateAsync(CatalogHttp.OrganizationOf(user), request, ct), s => $"/api/suppliers/{s.Id}", View, http);

    private static Task<Results<Ok<SupplierView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, SupplierRequest request,
        ClaimsPrincipal user, SupplierCommands suppliers, HttpContext http, CancellationToken ct) =>
        CatalogHttp.OkAsync(id, rowId => suppliers.UpdateAsync(CatalogHttp.OrganizationOf(user), rowId, request, CatalogHttp.IfMatchOf(http), ct),
            View, http);

    private static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user,
        SupplierCommands suppliers, CancellationToken ct) =>
        CatalogHttp.NoContentAsync(id, rowId => suppliers.DeleteAsync(CatalogHttp.OrganizationOf(user), rowId, null, ct));
}
