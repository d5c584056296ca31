using Giia.Catalog.Common;
using Giia.Catalog.Data;
using Giia.Catalog.Products;
using Giia.Catalog.Suppliers;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

using static Giia.Catalog.Products.ProductLimits;

namespace Giia.Catalog.ProductSuppliers;

/// <summary>
/// Linking suppliers to products on terms, and unlinking them. Every change publishes
/// <c>product.supplier_linked</c>, <c>product.supplier_link_updated</c> or <c>product.supplier_unlinked</c> in its
/// transaction, so buffers follow their lead time, MOQ and multiple; setting the same terms again publishes nothing.
/// </summary>
public sealed class ProductSupplierCommands(CatalogDbContext db, EventOutbox outbox, TimeProvider time, ProductSupplierQueries links)
{
    /// <summary>Creates or replaces the link's terms; one primary per product (the previous primary steps down).</summary>
    public async Task<CatalogOutcome<ProductSupplierView>> SetAsync(Guid organizationId, Guid productId, Guid supplier,
        ProductSupplierRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors()
            .Required("leadTimeDays", request.LeadTimeDays).Range("leadTimeDays", request.LeadTimeDays, 0, SupplierLimits.MaxLeadTimeDays)
            .Required("unitCost", request.UnitCost).Range("unitCost", request.UnitCost, 0, MaxAmount)
            .FitsColumn("unitCost", request.UnitCost, AmountPrecision, AmountScale)
            .Range("minimumOrderQuantity", request.MinimumOrderQuantity, 0, MaxAmount)
            .FitsColumn("minimumOrderQuantity", request.MinimumOrderQuantity, AmountPrecision, AmountScale)
            .Range("orderMultiple", request.OrderMultiple, 0, MaxAmount)
            .FitsColumn("orderMultiple", request.OrderMultiple, AmountPrecision, AmountScale);
        if (errors.Any)
        {
            return CatalogRefusal.Invalid(errors.Errors);
        }

        if (!await links.ProductExistsAsync(organizationId, productId, ct))
        {
            return CatalogRefusal.NotFound("Product", productId);
        }

        if (!await links.SupplierExistsAsync(organizationId, supplier, ct))
        {
            return CatalogRefusal.NotFound("Supplier", supplier);
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
                var subject = SubjectOf(productId);
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
        catch (DbUpdateException ex) when (CatalogSave.IsUniqueViolation(ex))
        {
            // Another request made a different supplier primary, or created this same link, at the same time.
            return CatalogRefusal.Conflict("Supplier link changed", "Another request changed this product's supplier links at the same time; try again.");
        }
        catch (DbUpdateException ex) when (CatalogSave.IsForeignKeyViolation(ex) || ex is DbUpdateConcurrencyException)
        {
            // The product or the supplier was deleted between the check above and the write.
            return CatalogRefusal.Conflict("Product or supplier deleted", "The product or the supplier was deleted while the link was being saved.");
        }

        // Read back after the commit; a delete that came just after it leaves nothing to show.
        return await links.LinksOf(organizationId, productId, supplier).SingleOrDefaultAsync(ct) is { } saved
            ? new CatalogOutcome<ProductSupplierView>(saved)
            : CatalogRefusal.NotFound("Product", productId);
    }

    /// <summary>Removes the link; not found when there is none (or a concurrent request removed it, and published the event).</summary>
    public async Task<CatalogOutcome<ProductSupplier>> RemoveAsync(Guid organizationId, Guid productId, Guid supplier, CancellationToken ct)
    {
        var link = await db.ProductSuppliers
            .SingleOrDefaultAsync(l => l.ProductId == productId && l.SupplierId == supplier && l.OrganizationId == organizationId, ct);
        if (link is null)
        {
            return LinkNotFound(productId, supplier);
        }

        db.ProductSuppliers.Remove(link);
        outbox.Enqueue(db, new ProductSupplierUnlinked(productId, organizationId, supplier, link.IsPrimary, time.GetUtcNow()), organizationId,
            SubjectOf(productId));
        // Removed by a concurrent request between the read and the delete: that request published the event.
        return await CatalogSave.SaveAsync(db, ct, onStale: LinkNotFound(productId, supplier)) is { } refused
            ? refused
            : new CatalogOutcome<ProductSupplier>(link);
    }

    private static string SubjectOf(Guid productId) => $"products/{productId}/suppliers";

    private static CatalogRefusal LinkNotFound(Guid productId, Guid supplier) =>
        CatalogRefusal.NotFound("Link", supplier, $"Product {productId} of your organization has no supplier {supplier}.");

    private static ProductSupplierLinkUpdated Updated(ProductSupplier link, DateTimeOffset now) => new(link.ProductId, link.OrganizationId,
        link.SupplierId, link.LeadTimeDays, link.UnitCost, link.MinimumOrderQuantity, link.OrderMultiple, link.IsPrimary, now);
}
