using Giia.Catalog.Common;
using Giia.Catalog.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.ProductSuppliers;

/// <summary>The reads of a product's supplier links: primary first, then by supplier code.</summary>
public sealed class ProductSupplierQueries(CatalogDbContext db)
{
    /// <summary>The links of a product of the organization, or not found when the product is not one.</summary>
    public async Task<CatalogOutcome<List<ProductSupplierView>>> ListAsync(Guid organizationId, Guid productId, CancellationToken ct)
    {
        if (!await ProductExistsAsync(organizationId, productId, ct))
        {
            return CatalogRefusal.NotFound("Product", productId);
        }

        return new CatalogOutcome<List<ProductSupplierView>>(await LinksOf(organizationId, productId).ToListAsync(ct));
    }

    /// <summary>Whether the product is one of the organization's.</summary>
    public Task<bool> ProductExistsAsync(Guid organizationId, Guid productId, CancellationToken ct) =>
        db.Products.AsNoTracking().AnyAsync(p => p.OrganizationId == organizationId && p.Id == productId, ct);

    /// <summary>Whether the supplier is one of the organization's.</summary>
    public Task<bool> SupplierExistsAsync(Guid organizationId, Guid supplierId, CancellationToken ct) =>
        db.Suppliers.AsNoTracking().AnyAsync(s => s.OrganizationId == organizationId && s.Id == supplierId, ct);

    /// <summary>The product's links (only the one to <paramref name="supplier"/>, when given), untracked.</summary>
    public IQueryable<ProductSupplierView> LinksOf(Guid organizationId, Guid productId, Guid? supplier = null) =>
        db.ProductSuppliers.AsNoTracking()
            .Where(l => l.ProductId == productId && l.OrganizationId == organizationId && (supplier == null || l.SupplierId == supplier))
            .OrderByDescending(l => l.IsPrimary).ThenBy(l => l.Supplier!.Code)
            .Select(l => new ProductSupplierView(l.SupplierId, l.Supplier!.Code, l.Supplier.Name, l.LeadTimeDays, l.UnitCost,
                l.MinimumOrderQuantity, l.IsPrimary, l.CreatedAt, l.UpdatedAt, l.OrderMultiple));
}
