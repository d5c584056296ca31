using Giia.Ddmrp.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.Inputs;

/// <summary>
/// Stores validated positions of one organization: one statement per batch, an upsert, so a batch sent again replaces
/// what it sent before and concurrent batches never meet on a read-modify-write. Rows are written in key order, so two
/// batches over the same rows take their row locks in the same sequence and wait for each other instead of deadlocking.
/// </summary>
public sealed class PositionStore(DdmrpDbContext db, TimeProvider time)
{
    public async Task UpsertDailyAsync(Guid organizationId, DailyQuantityKind kind, IReadOnlyList<(Guid ProductId, DateOnly Day, decimal Quantity)> rows,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Guid[] products = [.. rows.Select(r => r.ProductId)];
        DateOnly[] days = [.. rows.Select(r => r.Day)];
        decimal[] quantities = [.. rows.Select(r => r.Quantity)];
        var kindName = kind.ToString();
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO daily_quantities (organization_id, product_id, kind, day, quantity, updated_at)
            SELECT {organizationId}, r.product_id, {kindName}, r.day, r.quantity, {now}
            FROM unnest({products}, {days}, {quantities}) AS r(product_id, day, quantity)
            ORDER BY r.product_id, r.day
            ON CONFLICT (organization_id, product_id, kind, day)
            DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at
            """, cancellationToken);
    }

    public async Task UpsertOnHandAsync(Guid organizationId, IReadOnlyList<(Guid ProductId, decimal Quantity)> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Guid[] products = [.. rows.Select(r => r.ProductId)];
        decimal[] quantities = [.. rows.Select(r => r.Quantity)];
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO on_hand_positions (organization_id, product_id, quantity, updated_at)
            SELECT {organizationId}, r.product_id, r.quantity, {now}
            FROM unnest({products}, {quantities}) AS r(product_id, quantity)
            ORDER BY r.product_id
            ON CONFLICT (organization_id, product_id)
            DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at
            """, cancellationToken);
    }

    /// <summary>Open supply or demand by document reference: a reference sent again replaces its line (product, due date, quantity).</summary>
    public async Task UpsertOpenLinesAsync(Guid organizationId, OpenLineKind kind,
        IReadOnlyList<(string Reference, Guid ProductId, DateOnly DueDate, decimal Quantity)> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] references = [.. rows.Select(r => r.Reference)];
        Guid[] products = [.. rows.Select(r => r.ProductId)];
        DateOnly[] dueDates = [.. rows.Select(r => r.DueDate)];
        decimal[] quantities = [.. rows.Select(r => r.Quantity)];
        var kindName = kind.ToString();
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO open_lines (organization_id, kind, reference, product_id, due_date, quantity, updated_at)
            SELECT {organizationId}, {kindName}, r.reference, r.product_id, r.due_date, r.quantity, {now}
            FROM unnest({references}, {products}, {dueDates}, {quantities}) AS r(reference, product_id, due_date, quantity)
            ORDER BY r.reference
            ON CONFLICT (organization_id, kind, reference)
            DO UPDATE SET product_id = excluded.product_id, due_date = excluded.due_date, quantity = excluded.quantity,
                          updated_at = excluded.updated_at
            """, cancellationToken);
    }
}
