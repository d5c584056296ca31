using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Catalog.Common;
using Giia.Catalog.Http;
using Giia.Catalog.ProductSuppliers;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Catalog.Products;

/// <summary><c>/api/products</c>: HTTP in and out of <see cref="ProductQueries"/> and <see cref="ProductCommands"/>.</summary>
public static class ProductEndpoints
{
    public static IEndpointRouteBuilder MapProductEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/products").WithTags("Products").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        api.MapGet("/", ListAsync).WithName("ListProducts").RequirePermission(Permissions.CatalogRead)
            .WithSummary("List products")
            .WithDescription("One page of the organization's products ordered by SKU, filtered by status, category and a search in SKU and name. Needs `catalog:read`.");
        api.MapGet("/{id}", GetAsync).WithName("GetProduct").RequirePermission(Permissions.CatalogRead).ProducesETag()
            .WithSummary("Get a product")
            .WithDescription("One product of the organization, with its ETag for a later change. Needs `catalog:read`.");
        api.MapPost("/", CreateAsync).WithName("CreateProduct").RequirePermission(Permissions.CatalogWrite).ProducesETag()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Create a product")
            .WithDescription("Creates a product; the SKU must be unique in the organization (409 otherwise). Publishes `product.created`. Needs `catalog:write`.");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateProduct").RequirePermission(Permissions.CatalogWrite).RequiresIfMatch()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Update a product")
            .WithDescription("Replaces a product's fields, based on the version named in If-Match. Publishes `product.updated`. Needs `catalog:write`.");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteProduct").RequirePermission(Permissions.CatalogDelete).RequiresIfMatch()
            .WithSummary("Delete a product")
            .WithDescription("Deletes a product and its supplier links, based on the version named in If-Match. Publishes `product.deleted`. Needs `catalog:delete`.");
        api.MapProductSupplierEndpoints();
        return endpoints;
    }

    public static ProductView View(Product p) =>
        new(p.Id, p.Sku, p.Name, p.Description, p.Category, p.UnitOfMeasure, p.StandardCost, CatalogNames.Lower(p.Status),
            p.BufferProfileId, p.CreatedAt, p.UpdatedAt, ETags.Of(p.Version), p.LeadTimeOverrideDays, p.OrderCycleDays, p.UnitPrecision,
            [.. p.DemandAdjustments.Select(a => new DemandAdjustmentView(a.From, a.To, a.Factor))]);

    private static async Task<Results<Ok<Page<ProductView>>, ValidationProblem>> ListAsync(ClaimsPrincipal user, ProductQueries products,
        [AllowedNames(typeof(ProductStatus))] string? status, [MaxLength(100)] string? category,
        [MaxLength(ProductLimits.MaxSearchLength), Description("Matches SKU or name, ignoring case.")] string? search,
        [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken ct) =>
        CatalogHttp.Page(await products.ListAsync(CatalogHttp.OrganizationOf(user), new ProductFilter(status, category, search),
            new PageRequest(page, pageSize), ct), View);

    private static Task<Results<Ok<ProductView>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user,
        ProductQueries products, HttpContext http, CancellationToken ct) =>
        CatalogHttp.OkAsync(id, rowId => products.GetAsync(CatalogHttp.OrganizationOf(user), rowId, ct), View, http);

    private static async Task<Results<Created<ProductView>, ValidationProblem, ProblemHttpResult>> CreateAsync(ProductRequest request,
        ClaimsPrincipal user, ProductCommands products, HttpContext http, CancellationToken ct) =>
        CatalogHttp.Created(await products.CreateAsync(CatalogHttp.OrganizationOf(user), request, ct), p => $"/api/products/{p.Id}", View, http);

    private static Task<Results<Ok<ProductView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, ProductRequest request,
        ClaimsPrincipal user, ProductCommands products, HttpContext http, CancellationToken ct) =>
        CatalogHttp.OkAsync(id, rowId => products.UpdateAsync(CatalogHttp.OrganizationOf(user), rowId, request, CatalogHttp.IfMatchOf(http), ct),
            View, http);

    private static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user,
        ProductCommands products, HttpContext http, CancellationToken ct) =>
        CatalogHttp.NoContentAsync(id, rowId => products.DeleteAsync(CatalogHttp.OrganizationOf(user), rowId, CatalogHttp.IfMatchOf(http), ct));
}
