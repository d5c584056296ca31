using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Catalog.Api;
using Giia.Catalog.Data;
using Giia.Catalog.Suppliers;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.ServiceDefaults;
using Giia.ServiceDefaults.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.Products;

/// <summary>
/// The suppliers of a product and their terms: <c>/api/products/{id}/suppliers</c>. Every change publishes
/// <c>product.supplier_linked</c>, <c>product.supplier_link_updated</c> or <c>product.supplier_unlinked</c> in its
/// transaction, so buffers follow their lead time, MOQ and multiple; a PUT that changes nothing publishes nothing.
/// </summary>
public static class ProductSupplierEndpoints
{
    [RequestExample("""{"leadTimeDays":10,"unitCost":0.09,"minimumOrderQuantity":500,"isPrimary":true,"orderMultiple":100}""")]
    public sealed record ProductSupplierRequest(
        [Required, Range(0, SupplierEndpoints.MaxLeadTimeDays)] int? LeadTimeDays,
        [Required, Range(0d, 1_000_000_000d), Description("At most 4 decimals.")] decimal? UnitCost,
        [Range(0d, 1_000_000_000d), Description("At most 4 decimals; default 0.")] decimal? MinimumOrderQuantity,
        [Description("Whether this is the product's primary supplier; default false.")] bool? IsPrimary,
        [Range(0d, 1_000_000_000d), Description("Orders are rounded up to a multiple of it; at most 4 decimals; default 0 (none).")] decimal? OrderMultiple = null);

    public sealed record ProductSupplierView(Guid SupplierId, string SupplierCode, string SupplierName, int LeadTimeDays, decimal UnitCost,
        decimal MinimumOrderQuantity, bool IsPrimary, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, decimal OrderMultiple);

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

    private static async Task<Results<Ok<List<ProductSupplierView>>, ValidationProblem, ProblemHttpResult>> ListAsync(string id,
        ClaimsPrincipal user, CatalogDbContext db, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var productId, out var invalid))
        {
            return invalid!;
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        if (!await ProductEndpoints.Of(db, organizationId).AnyAsync(p => p.Id == productId, ct))
        {
            return CatalogApi.NotFound("Product", productId);
        }

        var links = await LinksOf(db, organizationId, productId).ToListAsync(ct);
        return TypedResults.Ok(links);
    }

    private static async Task<Results<Ok<ProductSupplierView>, ValidationProblem, ProblemHttpResult>> PutAsync(string id, string supplierId,
        ProductSupplierRequest request, ClaimsPrincipal user, CatalogDbContext db, EventOutbox outbox, TimeProvider time, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var productId, out var invalid)
            || !CatalogApi.TryParseId(supplierId, "supplierId", out var supplier, out invalid))
        {
            return invalid!;
        }

        var errors = new FieldErrors()
            .Required("leadTimeDays", request.LeadTimeDays).Range("leadTimeDays", request.LeadTimeDays, 0, SupplierEndpoints.MaxLeadTimeDays)
            .Required("unitCost", request.UnitCost).Range("unitCost", request.UnitCost, 0, ProductEndpoints.MaxAmount)
            .FitsColumn("unitCost", request.UnitCost, ProductEndpoints.AmountPrecision, ProductEndpoints.AmountScale)
            .Range("minimumOrderQuantity", request.MinimumOrderQuantity, 0, ProductEndpoints.MaxAmount)
            .FitsColumn("minimumOrderQuantity", request.MinimumOrderQuantity, ProductEndpoints.AmountPrecision, ProductEndpoints.AmountScale)
            .Range("orderMultiple", request.OrderMultiple, 0, ProductEndpoints.MaxAmount)
            .FitsColumn("orderMultiple", request.OrderMultiple, ProductEndpoints.AmountPrecision, ProductEndpoints.AmountScale);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        if (!await ProductEndpoints.Of(db, organizationId).AnyAsync(p => p.Id == productId, ct))
        {
            return CatalogApi.NotFound("Product", productId);
        }

        if (!await SupplierEndpoints.Of(db, organizationId).AnyAsync(s => s.Id == supplier, ct))
        {
            return CatalogApi.NotFound("Supplier", supplier);
        }

        var now = time.GetUtcNow();
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var primary = request.IsPrimary ?? false;
                var subject = $"products/{productId}/suppliers";
                if (primary)
                {
                    // One primary per product: the previous primary steps down in the same transaction, saved first so
                    // the unique index never sees two primaries.
                    var previous = await db.ProductSuppliers.Where(l => l.ProductId == productId && l.SupplierId != supplier && l.IsPrimary).ToListAsync(ct);
                    foreach (var other in previous)
                    {
                        other.IsPrimary = false;
                        other.UpdatedAt = now;
                        outbox.Enqueue(db, Updated(other, now), organizationId, subject);
                    }

                    await db.SaveChangesAsync(ct);
                }

                var link = await db.ProductSuppliers.SingleOrDefaultAsync(l => l.ProductId == productId && l.SupplierId == supplier, ct);
                var created = link is null;
                if (link is null)
                {
                    link = new ProductSupplier { ProductId = productId, SupplierId = supplier, OrganizationId = organizationId, CreatedAt = now };
                    db.ProductSuppliers.Add(link);
                }

                var terms = (request.LeadTimeDays!.Value, request.UnitCost!.Value, request.MinimumOrderQuantity ?? 0, request.OrderMultiple ?? 0, primary);
                var changed = created || terms != (link.LeadTimeDays, link.UnitCost, link.MinimumOrderQuantity, link.OrderMultiple, link.IsPrimary);
                (link.LeadTimeDays, link.UnitCost, link.MinimumOrderQuantity, link.OrderMultiple, link.IsPrimary) = terms;
                if (changed)
                {
                    link.UpdatedAt = now;
                    if (created)
                    {
                        outbox.Enqueue(db, new ProductSupplierLinked(productId, organizationId, supplier, link.LeadTimeDays, link.UnitCost,
                            link.MinimumOrderQuantity, link.OrderMultiple, link.IsPrimary, now), organizationId, subject);
                    }
                    else
                    {
                        outbox.Enqueue(db, Updated(link, now), organizationId, subject);
                    }
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            });
        }
        catch (DbUpdateException ex) when (CatalogApi.IsUniqueViolation(ex))
        {
            // Another request made a different supplier primary, or created this same link, at the same time.
            return CatalogApi.Conflict("Supplier link changed", "Another request changed this product's supplier links at the same time; try again.");
        }
        catch (DbUpdateException ex) when (CatalogApi.IsForeignKeyViolation(ex) || ex is DbUpdateConcurrencyException)
        {
            // The product or the supplier was deleted between the check above and the write.
            return CatalogApi.Conflict("Product or supplier deleted", "The product or the supplier was deleted while the link was being saved.");
        }

        // Read back after the commit; a delete that came just after it leaves nothing to show.
        return await LinksOf(db, organizationId, productId, supplier).SingleOrDefaultAsync(ct) is { } saved
            ? TypedResults.Ok(saved)
            : CatalogApi.NotFound("Product", productId);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, string supplierId,
        ClaimsPrincipal user, CatalogDbContext db, EventOutbox outbox, TimeProvider time, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var productId, out var invalid)
            || !CatalogApi.TryParseId(supplierId, "supplierId", out var supplier, out invalid))
        {
            return invalid!;
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        var link = await db.ProductSuppliers
            .SingleOrDefaultAsync(l => l.ProductId == productId && l.SupplierId == supplier && l.OrganizationId == organizationId, ct);
        if (link is null)
        {
            return LinkNotFound(productId, supplier);
        }

        db.ProductSuppliers.Remove(link);
        outbox.Enqueue(db, new ProductSupplierUnlinked(productId, organizationId, supplier, link.IsPrimary, time.GetUtcNow()), organizationId,
            $"products/{productId}/suppliers");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Removed by a concurrent request between the read and the delete: that request published the event.
            return LinkNotFound(productId, supplier);
        }

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult LinkNotFound(Guid productId, Guid supplier) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Link not found",
            detail: $"Product {productId} of your organization has no supplier {supplier}.");

    private static ProductSupplierLinkUpdated Updated(ProductSupplier link, DateTimeOffset now) => new(link.ProductId, link.OrganizationId,
        link.SupplierId, link.LeadTimeDays, link.UnitCost, link.MinimumOrderQuantity, link.OrderMultiple, link.IsPrimary, now);

    private static IQueryable<ProductSupplierView> LinksOf(CatalogDbContext db, Guid organizationId, Guid productId, Guid? supplier = null) =>
        db.ProductSuppliers.AsNoTracking()
            .Where(l => l.ProductId == productId && l.OrganizationId == organizationId && (supplier == null || l.SupplierId == supplier))
            .OrderByDescending(l => l.IsPrimary).ThenBy(l => l.Supplier!.Code)
            .Select(l => new ProductSupplierView(l.SupplierId, l.Supplier!.Code, l.Supplier.Name, l.LeadTimeDays, l.UnitCost,
                l.MinimumOrderQuantity, l.IsPrimary, l.CreatedAt, l.UpdatedAt, l.OrderMultiple));
}
