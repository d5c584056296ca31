using System.Linq.Expressions;

using Giia.Catalog.Common;
using Giia.Catalog.Data;

namespace Giia.Catalog.BufferProfiles;

/// <summary>The reads of buffer profiles, for REST and gRPC alike: one profile, and pages ordered by name.</summary>
public sealed class BufferProfileQueries(CatalogDbContext db) : StatusQueries<BufferProfile, BufferProfileStatus>
{
    protected override string Kind => "Buffer profile";

    protected override IQueryable<BufferProfile> Table => db.BufferProfiles;

    protected override Expression<Func<BufferProfile, bool>> HasStatus(BufferProfileStatus status) => b => b.Status == status;

    protected override IOrderedQueryable<BufferProfile> Order(IQueryable<BufferProfile> rows) => rows.OrderBy(b => b.Name).ThenBy(b => b.Id);
}
