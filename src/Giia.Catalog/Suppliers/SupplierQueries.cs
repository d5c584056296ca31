using System.Linq.Expressions;

using Giia.Catalog.Common;
using Giia.Catalog.Data;

namespace Giia.Catalog.Suppliers;

/// <summary>The reads of suppliers, for REST and gRPC alike: one supplier, and pages ordered by code.</summary>
public sealed class SupplierQueries(CatalogDbContext db) : StatusQueries<Supplier, SupplierStatus>
{
    protected override string Kind => "Supplier";

    protected override IQueryable<Supplier> Table => db.Suppliers;

    protected override Expression<Func<Supplier, bool>> HasStatus(SupplierStatus status) => s => s.Status == status;

    protected override IOrderedQueryable<Supplier> Order(IQueryable<Supplier> rows) => rows.OrderBy(s => s.Code).ThenBy(s => s.Id);
}
