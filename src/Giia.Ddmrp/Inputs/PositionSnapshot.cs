using Giia.Ddmrp.Data;
using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.Calculation;

using Microsoft.EntityFrameworkCore;

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
        var rows = await db.Database.SqlQuery<PositionRow>($"""
            SELECT product_id AS "ProductId", kind AS "Kind", day AS "Day", '' AS "Reference", quantity AS "Quantity"
            FROM daily_quantities
            WHERE organization_id = {organizationId} AND product_id = ANY({ids}) AND day >= {from} AND day <= {to}
              AND ((kind = 'Usage' AND day < {today}) OR (kind = 'Forecast' AND day >= {today}))
            UNION ALL
            SELECT product_id, 'OnHand', {today}, '', quantity
            FROM on_hand_positions
            WHERE organization_id = {organizationId} AND product_id = ANY({ids})
            UNION ALL
            SELECT product_id, kind, due_date, reference, quantity
            FROM open_lines
            WHERE organization_id = {organizationId} AND product_id = ANY({ids}) AND quantity > 0
            """).ToListAsync(cancellationToken);

        var byProduct = rows.ToLookup(r => r.ProductId);
        return inputs.ToDictionary(p => p.Key, p => WithPositions(p.Value, byProduct[p.Key], today));
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
