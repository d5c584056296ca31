using Giia.Ddmrp.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.Buffers;

/// <summary>
/// The per-product lock every writer of a buffer (its calculations, events and planning-screen row) takes first, in
/// product order, for the rest of its transaction: writers of the same buffers then wait for each other and never
/// deadlock on the rows and outbox versions they touch after it.
/// </summary>
internal static class BufferLocks
{
    public static Task TakeAsync(DdmrpDbContext db, IEnumerable<Guid> productIds, CancellationToken cancellationToken)
    {
        var ids = productIds.Order().ToArray();
        return db.Database.ExecuteSqlAsync($"""
            SELECT count(pg_advisory_xact_lock(k))
            FROM (SELECT hashtextextended('giia.buffer:' || p::text, 0) AS k FROM unnest({ids}) AS p ORDER BY k) AS ordered
            """, cancellationToken);
    }
}
