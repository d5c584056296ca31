using Giia.Ddmrp.Data;
using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.Calculation;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Giia.Ddmrp.Inputs;

/// <summary>
/// The positions of many products read in one statement, so one snapshot: usage before today within each product's
/// ADU horizon, forecast from today within its forward horizon, on hand, and open lines (the tenant's rows only).
/// </summary>
internal static class PositionSnapshot
{
    public static async Task<IReadOnlyDictionary<Guid, BufferCalculationInput>> ReadAsync(DdmrpDbContext db, Guid organizationId,
        IReadOnlyDictionary<Guid, BufferCalculationInput> inputs, DateOnly today, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
        {
            return inputs;
        }

        var ids = inputs.Keys.Order().ToArray();
        var from = today.AddDays(-inputs.Values.Max(i => i.Adu.HorizonDays));
        var to = today.AddDays(inputs.Values.Max(i => i.Adu.ForwardHorizonDays));
        // Read with the connection's own reader: EF's materialization cost several times the query for the ~36,000 rows
        // of a 100-product chunk (docs/performance.md, "Recalculation").
        // Outside a transaction the read is retried like EF's own queries (a pooled connection broken by a restart).
        var rows = db.Database.CurrentTransaction is null
            ? await db.Database.CreateExecutionStrategy().ExecuteAsync(ct => ReadRowsAsync(db, organizationId, ids, from, to, today, ct), cancellationToken)
            : await ReadRowsAsync(db, organizationId, ids, from, to, today, cancellationToken);

        var byProduct = rows.ToLookup(r => r.ProductId);
        return inputs.ToDictionary(p => p.Key, p => WithPositions(p.Value, byProduct[p.Key], today));
    }

    private static async Task<List<PositionRow>> ReadRowsAsync(DdmrpDbContext db, Guid organizationId, Guid[] ids, DateOnly from, DateOnly to,
        DateOnly today, CancellationToken cancellationToken)
    {
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        var rows = new List<PositionRow>();
        try
        {
            await using var read = new Npgsql.NpgsqlCommand("""
                    SELECT product_id, kind, day, '' AS reference, quantity
                    FROM daily_quantities
                    WHERE organization_id = $1 AND product_id = ANY($2) AND day >= $3 AND day <= $4
                      AND ((kind = 'Usage' AND day < $5) OR (kind = 'Forecast' AND day >= $5))
                    UNION ALL
                    SELECT product_id, 'OnHand', $5, '', quantity
                    FROM on_hand_positions
                    WHERE organization_id = $1 AND product_id = ANY($2)
                    UNION ALL
                    SELECT product_id, kind, due_date, reference, quantity
                    FROM open_lines
                    WHERE organization_id = $1 AND product_id = ANY($2) AND quantity > 0
                    """, connection, (Npgsql.NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
            read.Parameters.Add(new() { Value = organizationId });
            read.Parameters.Add(new() { Value = ids });
            read.Parameters.Add(new() { Value = from });
            read.Parameters.Add(new() { Value = to });
            read.Parameters.Add(new() { Value = today });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new PositionRow(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetString(3),
                    reader.GetDecimal(4)));
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }

        return rows;
    }

    private static BufferCalculationInput WithPositions(BufferCalculationInput input, IEnumerable<PositionRow> rows, DateOnly today)
    {
        var usageFrom = today.AddDays(-input.Adu.HorizonDays);
        var forecastTo = today.AddDays(input.Adu.ForwardHorizonDays);
        var ordered = rows.OrderBy(r => r.Day).ThenBy(r => r.Reference, StringComparer.Ordinal).ToList();
        List<DailyQuantity> Of(string kind, Func<DateOnly, bool> within) =>
            [.. ordered.Where(r => r.Kind == kind && within(r.Day)).Select(r => new DailyQuantity(r.Day, r.Quantity))];
        return input with
        {
            Usage = Of(nameof(DailyQuantityKind.Usage), day => day >= usageFrom),
            Forecast = Of(nameof(DailyQuantityKind.Forecast), day => day <= forecastTo),
            OnHand = ordered.Where(r => r.Kind == "OnHand").Sum(r => r.Quantity),
            OpenSupply = Of(nameof(OpenLineKind.Supply), _ => true),
            OpenDemand = Of(nameof(OpenLineKind.Demand), _ => true),
        };
    }

    private sealed record PositionRow(Guid ProductId, string Kind, DateOnly Day, string Reference, decimal Quantity);
}
