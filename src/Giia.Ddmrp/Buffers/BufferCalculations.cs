using System.Globalization;
using System.Text.Json;

using Giia.Ddmrp.CatalogClient;
using Giia.Ddmrp.Data;
using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.Adu;
using Giia.Ddmrp.Engine.Calculation;
using Giia.Ddmrp.Engine.LeadTimes;
using Giia.Ddmrp.Inputs;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.Buffers;

/// <summary>Why a calculation was not made, as the problem the caller gets.</summary>
public sealed record CalculationRefusal(int Status, string Title, string Detail);

/// <summary>
/// Flow 4: the product and its buffer profile from Catalog (with the caller's token) → the positions stored here →
/// the calculation core → the calculation saved with its inputs, the buffer's latest state and
/// <c>buffer.calculated</c> in one transaction.
/// </summary>
internal sealed class BufferCalculations(DdmrpDbContext db, CatalogReader catalog, EventOutbox outbox, TimeProvider time)
{
    private static readonly JsonSerializerOptions InputsJson = new(JsonSerializerDefaults.Web);

    public async Task<(BufferCalculationRecord? Saved, CalculationRefusal? Refusal)> CalculateAsync(Guid organizationId, Guid productId,
        string authorization, CancellationToken cancellationToken)
    {
        var (source, failure, detail) = await catalog.ReadAsync(productId, authorization, cancellationToken);
        if (source is null)
        {
            return (null, Refuse(failure!.Value, productId, detail));
        }

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var (parameters, refusal) = Prepare(source, today);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var input = await WithPositionsAsync(parameters!, organizationId, productId, cancellationToken);
        var errors = input.Validate();
        if (errors.Count > 0)
        {
            return (null, new(StatusCodes.Status409Conflict, "Buffer cannot be calculated",
                $"The product's parameters cannot be calculated with: {string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}"))}"));
        }

        var result = BufferCalculator.Calculate(input);
        var record = Record(organizationId, productId, now, input, result, source);
        if (!Storable(record))
        {
            return (null, new(StatusCodes.Status409Conflict, "Buffer cannot be calculated",
                $"The buffer's figures exceed what can be stored (up to {MaxStoredFigure:0.#E+0} units): check the usage, lead time and factors."));
        }

        await db.InTransactionAsync(async ct =>
        {
            db.Calculations.Add(record);
            outbox.Enqueue(db, new BufferCalculated(productId, organizationId, record.Id, record.PlanningDay, record.Adu, record.DltDays,
                record.TopOfRed, record.TopOfYellow, record.TopOfGreen, record.NetFlowPosition, record.NetFlowPercent, record.PlanningStatus,
                record.ExecutionStatus, record.RecommendedOrder, now), organizationId, $"buffers/{productId}");
            await db.SaveChangesAsync(ct);
            // Concurrent calculations of one product all land in the history; the buffer keeps the newest of them.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO buffers (organization_id, product_id, latest_calculation_id, calculated_at, planning_status, net_flow_percent)
                VALUES ({organizationId}, {productId}, {record.Id}, {record.CalculatedAt}, {record.PlanningStatus}, {record.NetFlowPercent})
                ON CONFLICT (organization_id, product_id) DO UPDATE
                SET latest_calculation_id = excluded.latest_calculation_id, calculated_at = excluded.calculated_at,
                    planning_status = excluded.planning_status, net_flow_percent = excluded.net_flow_percent
                WHERE (buffers.calculated_at, buffers.latest_calculation_id) < (excluded.calculated_at, excluded.latest_calculation_id)
                """, ct);
        }, cancellationToken);
        return (record, null);
    }

    /// <summary>The figures' columns are <c>numeric(28, 8)</c> (NFP % <c>numeric(28, 4)</c>): below this, every one fits.</summary>
    public const decimal MaxStoredFigure = 1e19m;

    private static bool Storable(BufferCalculationRecord r) =>
        new[] { r.Adu, r.Red, r.Yellow, r.Green, r.TopOfRed, r.TopOfYellow, r.TopOfGreen, r.OnHand, r.OpenSupply, r.QualifiedDemand,
            r.NetFlowPosition, r.NetFlowPercent, r.RecommendedOrder }.All(v => Math.Abs(v) < MaxStoredFigure);

    /// <summary>The Catalog half of the input; a refusal when Catalog's data leaves the buffer without a lead time or method.</summary>
    private static (BufferCalculationInput? Input, CalculationRefusal? Refusal) Prepare(BufferSource source, DateOnly today)
    {
        try
        {
            return PrepareChecked(source, today);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // A lead time or factor outside what the core accepts: Catalog's rules should prevent it; say so, never 500.
            return (null, new(StatusCodes.Status409Conflict, "Buffer cannot be calculated", ex.Message));
        }
    }

    private static (BufferCalculationInput? Input, CalculationRefusal? Refusal) PrepareChecked(BufferSource source, DateOnly today)
    {
        var product = source.Product;
        var profile = source.Profile;
        var link = source.PrimaryLink;
        var dlt = DecoupledLeadTime.Resolve(product.HasLeadTimeOverrideDays ? product.LeadTimeOverrideDays : null, link?.LeadTimeDays,
            link?.SupplierDefaultLeadTime);
        if (dlt is null)
        {
            return (null, new(StatusCodes.Status409Conflict, "No lead time",
                "The product has neither a lead-time override nor a primary supplier; set one in Catalog and calculate again."));
        }

        if (!Enum.TryParse<AduMethod>(profile.AduMethod, ignoreCase: true, out var method) || !Enum.IsDefined(method))
        {
            return (null, new(StatusCodes.Status409Conflict, "Buffer cannot be calculated", $"Unknown ADU method '{profile.AduMethod}'."));
        }

        var factors = new List<DemandAdjustmentFactor>();
        foreach (var adjustment in product.DemandAdjustments)
        {
            if (!DateOnly.TryParseExact(adjustment.From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                || !DateOnly.TryParseExact(adjustment.To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to))
            {
                return (null, new(StatusCodes.Status409Conflict, "Buffer cannot be calculated", "A demand adjustment has an unreadable period."));
            }

            factors.Add(new DemandAdjustmentFactor(from, to, ToDecimal(adjustment.Factor)));
        }

        return (new BufferCalculationInput
        {
            Today = today,
            Adu = new AduParameters
            {
                Method = method,
                HorizonDays = profile.AduHorizonDays,
                ForwardHorizonDays = profile.AduForwardHorizonDays,
                Alpha = ToDecimal(profile.AduAlpha),
                PastWeight = ToDecimal(profile.AduPastWeight),
                ForwardWeight = ToDecimal(profile.AduForwardWeight),
            },
            AdjustmentFactors = factors,
            DltDays = dlt.Days,
            LeadTimeFactor = ToDecimal(profile.LeadTimeFactor),
            VariabilityFactor = ToDecimal(profile.VariabilityFactor),
            OrderCycleDays = product.OrderCycleDays,
            MinimumOrderQuantity = ToDecimal(link?.MinimumOrderQuantity ?? 0),
            OrderMultiple = ToDecimal(link?.OrderMultiple ?? 0),
            Precision = product.UnitPrecision,
            SpikeThresholdPercentOfRed = ToDecimal(profile.SpikeThresholdPercent),
            SpikeHorizonDays = profile.HasSpikeHorizonDays ? profile.SpikeHorizonDays : null,
        }, null);
    }

    /// <summary>The positions stored here: usage before today, forecast from today, on hand, open lines (tenant's rows only).</summary>
    private async Task<BufferCalculationInput> WithPositionsAsync(BufferCalculationInput input, Guid organizationId, Guid productId,
        CancellationToken cancellationToken)
    {
        // One snapshot: the reads share a REPEATABLE READ transaction, so an input batch committing meanwhile is seen
        // whole or not at all.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            var read = await ReadPositionsAsync(input, organizationId, productId, ct);
            await snapshot.CommitAsync(ct);
            return read;
        }, cancellationToken);
    }

    private async Task<BufferCalculationInput> ReadPositionsAsync(BufferCalculationInput input, Guid organizationId, Guid productId,
        CancellationToken cancellationToken)
    {
        var today = input.Today;
        var usageFrom = today.AddDays(-input.Adu.HorizonDays);
        var forecastTo = today.AddDays(input.Adu.ForwardHorizonDays);
        var days = await db.DailyQuantities.AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && d.ProductId == productId
                && ((d.Kind == DailyQuantityKind.Usage && d.Day >= usageFrom && d.Day < today)
                    || (d.Kind == DailyQuantityKind.Forecast && d.Day >= today && d.Day <= forecastTo)))
            .OrderBy(d => d.Day)
            .Select(d => new { d.Kind, d.Day, d.Quantity })
            .ToListAsync(cancellationToken);
        var onHand = await db.OnHandPositions.AsNoTracking()
            .Where(p => p.OrganizationId == organizationId && p.ProductId == productId)
            .Select(p => (decimal?)p.Quantity)
            .SingleOrDefaultAsync(cancellationToken) ?? 0m;
        var lines = await db.OpenLines.AsNoTracking()
            .Where(l => l.OrganizationId == organizationId && l.ProductId == productId && l.Quantity > 0)
            .OrderBy(l => l.DueDate).ThenBy(l => l.Reference)
            .Select(l => new { l.Kind, l.DueDate, l.Quantity })
            .ToListAsync(cancellationToken);
        return input with
        {
            Usage = [.. days.Where(d => d.Kind == DailyQuantityKind.Usage).Select(d => new DailyQuantity(d.Day, d.Quantity))],
            Forecast = [.. days.Where(d => d.Kind == DailyQuantityKind.Forecast).Select(d => new DailyQuantity(d.Day, d.Quantity))],
            OnHand = onHand,
            OpenSupply = [.. lines.Where(l => l.Kind == OpenLineKind.Supply).Select(l => new DailyQuantity(l.DueDate, l.Quantity))],
            OpenDemand = [.. lines.Where(l => l.Kind == OpenLineKind.Demand).Select(l => new DailyQuantity(l.DueDate, l.Quantity))],
        };
    }

    private static BufferCalculationRecord Record(Guid organizationId, Guid productId, DateTimeOffset now, BufferCalculationInput input,
        BufferCalculation result, BufferSource source) => new()
        {
            Id = Guid.CreateVersion7(now),
            OrganizationId = organizationId,
            ProductId = productId,
            CalculatedAt = now,
            PlanningDay = input.Today,
            Adu = result.Adu.Adjusted,
            DltDays = result.DltDays,
            Red = result.Zones.Red,
            Yellow = result.Zones.Yellow,
            Green = result.Zones.Green,
            TopOfRed = result.Zones.TopOfRed,
            TopOfYellow = result.Zones.TopOfYellow,
            TopOfGreen = result.Zones.TopOfGreen,
            OnHand = input.OnHand,
            OpenSupply = result.NetFlow.SupplyWithinDlt,
            QualifiedDemand = result.QualifiedDemand.Total,
            NetFlowPosition = result.NetFlow.Position,
            NetFlowPercent = result.NetFlowPercent,
            PlanningStatus = BufferStatusNames.Of(result.PlanningStatus),
            ExecutionStatus = BufferStatusNames.Of(result.ExecutionStatus),
            RecommendedOrder = result.RecommendedOrder,
            // Everything the figures came from, so a past calculation can be explained and reproduced.
            Inputs = JsonSerializer.Serialize(new
            {
                catalog = new
                {
                    productId,
                    sku = source.Product.Sku,
                    bufferProfileId = source.Profile.Id,
                    primarySupplierId = source.PrimaryLink?.SupplierId,
                },
                input = new
                {
                    input.Today,
                    adu = new
                    {
                        method = input.Adu.Method.ToString().ToLowerInvariant(),
                        input.Adu.HorizonDays,
                        input.Adu.ForwardHorizonDays,
                        input.Adu.Alpha,
                        input.Adu.PastWeight,
                        input.Adu.ForwardWeight
                    },
                    input.DltDays,
                    input.LeadTimeFactor,
                    input.VariabilityFactor,
                    input.OrderCycleDays,
                    input.MinimumOrderQuantity,
                    input.OrderMultiple,
                    input.Precision,
                    input.SpikeThresholdPercentOfRed,
                    input.SpikeHorizonDays,
                    adjustmentFactors = input.AdjustmentFactors,
                    input.OnHand,
                    usage = input.Usage,
                    forecast = input.Forecast,
                    openSupply = input.OpenSupply,
                    openDemand = input.OpenDemand,
                },
                result = new
                {
                    adu = result.Adu,
                    zones = result.Zones,
                    result.SpikeThreshold,
                    result.SpikeHorizonDays,
                    qualifiedDemand = new { result.QualifiedDemand.PastDue, result.QualifiedDemand.DueToday, spikes = result.QualifiedDemand.Spikes },
                    netFlow = new { result.NetFlow.SupplyWithinDlt, result.NetFlow.SupplyBeyondDlt },
                    result.OnHandPercent,
                },
            }, InputsJson),
        };

    private static CalculationRefusal Refuse(CatalogFailure failure, Guid productId, string? detail) => failure switch
    {
        CatalogFailure.ProductNotFound => new(StatusCodes.Status404NotFound, "Product not found", $"No product {productId} in your organization."),
        CatalogFailure.NoBufferProfile => new(StatusCodes.Status409Conflict, "No buffer profile",
            "The product has no buffer profile; assign one in Catalog and calculate again."),
        CatalogFailure.ProfileNotFound => new(StatusCodes.Status409Conflict, "No buffer profile",
            "The product's buffer profile is gone; assign another in Catalog and calculate again."),
        CatalogFailure.Forbidden => new(StatusCodes.Status403Forbidden, "Forbidden",
            $"Catalog refused to show you the product or its profile (catalog:read and buffers:read are needed): {detail}"),
        _ => new(StatusCodes.Status503ServiceUnavailable, "Catalog unavailable", "The catalog cannot be reached right now; retry shortly."),
    };

    /// <summary>Catalog's doubles come from <c>numeric</c> columns of at most 4 decimals: rounding there gives back the stored value.</summary>
    private static decimal ToDecimal(double value) =>
        double.IsFinite(value) && Math.Abs(value) < 1e15 ? Math.Round((decimal)value, 6) : throw new ArgumentOutOfRangeException(nameof(value));
}
