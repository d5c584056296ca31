using System.Globalization;
using System.Text.Json;

using Giia.Data;
using Giia.Ddmrp.CatalogClient;
using Giia.Ddmrp.CatalogCopy;
using Giia.Ddmrp.Data;
using Giia.Ddmrp.Engine;
using Giia.Ddmrp.Engine.Adu;
using Giia.Ddmrp.Engine.Calculation;
using Giia.Ddmrp.Engine.LeadTimes;
using Giia.Ddmrp.Inputs;
using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.Buffers;

/// <summary>Why a calculation was not made, as the problem the caller gets.</summary>
public sealed record CalculationRefusal(int Status, string Title, string Detail);

/// <summary>One product's calculation, ready to save, or why it cannot be made.</summary>
internal sealed record CalculationOutcome(Guid ProductId, BufferCalculationRecord? Record, CalculationRefusal? Refusal);

/// <summary>
/// Flow 4 and the recalculation jobs: a product's buffer source (from Catalog with the caller's token, or from the
/// copy of Catalog kept here) and the positions stored here → the calculation core → the calculation saved with its
/// inputs, the buffer's latest state, <c>buffer.calculated</c> and, when the planning status moved,
/// <c>buffer.status_changed</c>, in the caller's transaction.
/// </summary>
internal sealed class BufferCalculations(DdmrpDbContext db, CatalogReader catalog, CatalogCopyStore copy, EventOutbox outbox, TimeProvider time)
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

        // What the caller's token could read keeps the copy current for the jobs that have no caller.
        await copy.RefreshAsync(organizationId, source, cancellationToken);
        var outcome = (await PrepareAsync(organizationId, [(productId, source)], cancellationToken))[0];
        if (outcome.Record is null)
        {
            return (null, outcome.Refusal);
        }

        await db.InTransactionAsync(ct => SaveAsync(organizationId, [outcome.Record], ct), cancellationToken);
        return (outcome.Record, null);
    }

    /// <summary>
    /// Calculates each product from its source and the positions stored here, read in one statement so that input
    /// batches committing meanwhile are seen whole or not at all. A product without a source is refused.
    /// </summary>
    public async Task<IReadOnlyList<CalculationOutcome>> PrepareAsync(Guid organizationId,
        IReadOnlyList<(Guid ProductId, BufferSource? Source)> products, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var prepared = products.Select(p => (p.ProductId, p.Source, Prepared: p.Source is null
                ? (Input: (BufferCalculationInput?)null, Refusal: (CalculationRefusal?)NotCopied)
                : Prepare(p.Source, today)))
            .ToList();
        var inputs = prepared.Where(p => p.Prepared.Input is not null).ToDictionary(p => p.ProductId, p => p.Prepared.Input!);
        var positions = await PositionSnapshot.ReadAsync(db, organizationId, inputs, today, cancellationToken);

        var outcomes = new List<CalculationOutcome>(prepared.Count);
        foreach (var (productId, source, (parameters, refusal)) in prepared)
        {
            if (parameters is null)
            {
                outcomes.Add(new(productId, null, refusal));
                continue;
            }

            var input = positions[productId];
            var errors = input.Validate();
            if (errors.Count > 0)
            {
                outcomes.Add(new(productId, null, new(StatusCodes.Status409Conflict, "Buffer cannot be calculated",
                    $"The product's parameters cannot be calculated with: {string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}"))}")));
                continue;
            }

            var record = Record(organizationId, productId, now, input, BufferCalculator.Calculate(input), source!);
            outcomes.Add(Storable(record)
                ? new(productId, record, null)
                : new(productId, null, new(StatusCodes.Status409Conflict, "Buffer cannot be calculated",
                    $"The buffer's figures exceed what can be stored (up to {MaxStoredFigure:0.#E+0} units): check the usage, lead time and factors.")));
        }

        return outcomes;
    }

    /// <summary>
    /// Saves calculations of one organization's products in the caller's transaction: the records with their
    /// events, then each buffer's latest state, all under per-product locks taken in product order so concurrent
    /// batches wait instead of deadlocking. A buffer keeps the newest of concurrent calculations; a status change is published only by the
    /// calculation that became the buffer's latest.
    /// </summary>
    public async Task SaveAsync(Guid organizationId, IReadOnlyList<BufferCalculationRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        // Every writer of a product's buffer takes its lock first, in product order: the outbox's per-aggregate
        // versions and the buffers rows below are then only ever waited for, never deadlocked on.
        var productIds = records.Select(r => r.ProductId).Order().ToArray();
        await BufferLocks.TakeAsync(db, productIds, cancellationToken);
        db.Calculations.AddRange(records);
        foreach (var record in records)
        {
            outbox.Enqueue(db, new BufferCalculated(record.ProductId, organizationId, record.Id, record.PlanningDay, record.Adu, record.DltDays,
                record.TopOfRed, record.TopOfYellow, record.TopOfGreen, record.NetFlowPosition, record.NetFlowPercent, record.PlanningStatus,
                record.ExecutionStatus, record.RecommendedOrder, record.CalculatedAt), organizationId, $"buffers/{record.ProductId}");
        }

        await db.SaveChangesAsync(cancellationToken);
        var previous = await db.Database.SqlQuery<PreviousStatus>($"""
            SELECT product_id AS "ProductId", planning_status AS "PlanningStatus" FROM buffers
            WHERE organization_id = {organizationId} AND product_id = ANY({productIds})
            ORDER BY product_id
            FOR UPDATE
            """).ToDictionaryAsync(p => p.ProductId, p => p.PlanningStatus, cancellationToken);
        // One statement for all the buffers, rows in product order; RETURNING names those this batch is now the latest of.
        var ordered = records.OrderBy(r => r.ProductId).ToList();
        var latest = (await db.Database.SqlQuery<Guid>($"""
            INSERT INTO buffers (organization_id, product_id, latest_calculation_id, calculated_at, planning_status, net_flow_percent)
            SELECT {organizationId}, p, c, t, s, n
            FROM unnest({ordered.Select(r => r.ProductId).ToArray()}, {ordered.Select(r => r.Id).ToArray()},
                        {ordered.Select(r => r.CalculatedAt).ToArray()}, {ordered.Select(r => r.PlanningStatus).ToArray()},
                        {ordered.Select(r => r.NetFlowPercent).ToArray()}) AS batch (p, c, t, s, n)
            -- A product deleted meanwhile stays off the planning screen (its calculation stays in the history).
            WHERE NOT EXISTS (SELECT 1 FROM catalog_products d
                              WHERE d.organization_id = {organizationId} AND d.product_id = batch.p AND d.status = 'deleted')
            ORDER BY p
            ON CONFLICT (organization_id, product_id) DO UPDATE
            SET latest_calculation_id = excluded.latest_calculation_id, calculated_at = excluded.calculated_at,
                planning_status = excluded.planning_status, net_flow_percent = excluded.net_flow_percent
            WHERE (buffers.calculated_at, buffers.latest_calculation_id) < (excluded.calculated_at, excluded.latest_calculation_id)
            RETURNING product_id AS "Value"
            """).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var record in ordered)
        {
            if (latest.Contains(record.ProductId) && previous.TryGetValue(record.ProductId, out var before) && before != record.PlanningStatus)
            {
                outbox.Enqueue(db, new BufferStatusChanged(record.ProductId, organizationId, record.Id, before, record.PlanningStatus,
                    record.NetFlowPercent, record.PlanningDay, record.CalculatedAt), organizationId, $"buffers/{record.ProductId}");
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static readonly CalculationRefusal NotCopied = new(StatusCodes.Status409Conflict, "Not in the catalog copy",
        "The buffer engine has no copy of this product or of its buffer profile yet; calculate it once with POST /api/buffers/calculate.");

    private sealed record PreviousStatus(Guid ProductId, string PlanningStatus);

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
