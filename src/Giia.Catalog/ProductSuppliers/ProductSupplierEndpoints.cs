using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Catalog.Common;
using Giia.Catalog.Http;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Catalog.ProductSuppliers;

/// <summary>
/// The suppliers of a product and their terms: <c>/api/products/{id}/suppliers</c>, HTTP in and out of
/// <see cref="ProductSupplierQueries"/> and <see cref="ProductSupplierCommands"/>.
/// </summary>
public static class ProductSupplierEndpoints
{
    public static RouteGroupBuilder MapProductSupplierEndpoints(this RouteGroupBuilder products)
    {
        ArgumentNullException.ThrowIfNull(products);
        products.MapGet("/{id}/suppliers", ListAsync).WithName("ListProductSuppliers").RequirePermission(Permissions.CatalogRead)
            .WithSummary("List a product's suppliers")
            .WithDescription("The suppliers linked to a product, with their lead time, cost, MOQ and order multiple. Needs `catalog:read`.");
        products.MapPut("/{id}/suppliers/{supplierId}", PutAsync).WithName("SetProductSupplier").RequirePermission(Permissions.CatalogWrite)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Link a supplier to a product")
            .WithDescription("Creates or replaces the link's terms (idempotent: the same terms change nothing). Publishes `product.supplier_linked` or `product.supplier_link_updated`. Needs `catalog:write`.");
        products.MapDelete("/{id}/suppliers/{supplierId}", DeleteAsync).WithName("RemoveProductSupplier").RequirePermission(Permissions.CatalogWrite)
            .WithSummary("Unlink a supplier from a product")
            .WithDescription("Removes the link. Publishes `product.supplier_unlinked`. Needs `catalog:write`.");
        return products;
    }

    private static Task<Results<Ok<List<ProductSupplierView>>, ValidationProblem, ProblemHttpResult>> ListAsync(string id,
        ClaimsPrincipal user, ProductSupplierQueries links, CancellationToken ct) =>
        CatalogHttp.OkAsync(id, productId => links.ListAsync(CatalogHttp.OrganizationOf(user), productId, ct), found => found);

    private static async Task<Results<Ok<ProductSupplierView>, ValidationProblem, ProblemHttpResult>> PutAsync(string id, string supplierId,
        ProductSupplierRequest request, ClaimsPrincipal user, ProductSupplierCommands links, CancellationToken ct)
    {
        if (!RouteIds.TryParse(id, "id", supplierId, "supplierId", out var productId, out var supplier, out var invalid))
        {
            return invalid;
        }

        return CatalogHttp.Ok(await links.SetAsync(CatalogHttp.OrganizationOf(user), productId, supplier, request, ct), saved => saved);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, string supplierId,
        ClaimsPrincipal user, ProductSupplierCommands links, CancellationToken ct)
    {
        if (!RouteIds.TryParse(id, "id", supplierId, "supplierId", out var productId, out var supplier, out var invalid))
        {
            return invalid;
        }

        return CatalogHttp.NoContent(await links.RemoveAsync(CatalogHttp.OrganizationOf(user), productId, supplier, ct));
    }
}
