using System.Globalization;
using System.Text.Json;

using Giia.Ddmrp.Buffers;
using Giia.Ddmrp.CatalogClient;
using Giia.Ddmrp.Data;
using Giia.Events.Contracts;

using Google.Protobuf.WellKnownTypes;

using Microsoft.EntityFrameworkCore;

using CatalogProduct = Giia.Catalog.Grpc.V1.Product;
using CatalogProfile = Giia.Catalog.Grpc.V1.BufferProfile;

namespace Giia.Ddmrp.CatalogCopy;

/// <summary>
/// The buffer engine's copy of Catalog: written from Catalog's events and from the reads flow 4 makes with a caller's
/// token, read by recalculations that have no caller. Every write is an upsert guarded by the Catalog time it carries,
/// so events arriving late or twice, and reads racing them, leave the newest state.
/// </summary>
internal sealed class CatalogCopyStore(DdmrpDbContext db)
{
    /// <summary>A product's state; <paramref name="terms"/> null (an older Catalog's event) keeps the stored terms.</summary>
    public Task UpsertProductAsync(Guid organizationId, Guid productId, string sku, string status, Guid? bufferProfileId,
        ProductBufferTerms? terms, DateTimeOffset version, CancellationToken cancellationToken)
    {
        var known = terms is not null;
        var adjustments = JsonSerializer.Serialize(terms?.DemandAdjustments ?? [], CopyJson.Options);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO catalog_products (organization_id, product_id, sku, status, buffer_profile_id, lead_time_override_days,
                                          order_cycle_days, unit_precision, demand_adjustments, terms_known, version)
            VALUES ({organizationId}, {productId}, {sku}, {status}, {bufferProfileId}, {terms?.LeadTimeOverrideDays},
                    {terms?.OrderCycleDays ?? 0}, {terms?.UnitPrecision ?? 0}, CAST({adjustments} AS jsonb), {known}, {version})
            ON CONFLICT (organization_id, product_id) DO UPDATE
            SET sku = excluded.sku, status = excluded.status, buffer_profile_id = excluded.buffer_profile_id, version = excluded.version,
                lead_time_override_days = CASE WHEN {known} THEN excluded.lead_time_override_days ELSE catalog_products.lead_time_override_days END,
                order_cycle_days = CASE WHEN {known} THEN excluded.order_cycle_days ELSE catalog_products.order_cycle_days END,
                unit_precision = CASE WHEN {known} THEN excluded.unit_precision ELSE catalog_products.unit_precision END,
                demand_adjustments = CASE WHEN {known} THEN excluded.demand_adjustments ELSE catalog_products.demand_adjustments END,
                terms_known = catalog_products.terms_known OR {known}
            WHERE catalog_products.status <> 'deleted'
              -- Deletion is final (ids are never reused): it wins over any state, whatever the clocks said.
              AND (excluded.status = 'deleted' OR catalog_products.version <= excluded.version)
            """, cancellationToken);
    }

    /// <summary>
    /// A deleted product becomes a tombstone in the copy (with its links) and leaves the planning screen; its
    /// calculations stay as history.
    /// </summary>
    public async Task DeleteProductAsync(Guid organizationId, Guid productId, string sku, DateTimeOffset version, CancellationToken cancellationToken)
    {
        // The buffer's lock: a first calculation saving now either commits before (its row is deleted below) or
        // waits and sees the tombstone.
        await BufferLocks.TakeAsync(db, [productId], cancellationToken);
        await UpsertProductAsync(organizationId, productId, sku, DeletedStatus, null, null, version, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE catalog_supplier_links SET removed = true, version = GREATEST(version, {version})
            WHERE organization_id = {organizationId} AND product_id = {productId}
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM buffers WHERE organization_id = {organizationId} AND product_id = {productId}", cancellationToken);
    }

    /// <summary>The status of a product's tombstone.</summary>
    public const string DeletedStatus = "deleted";

    /// <summary>A profile's state; <paramref name="parameters"/> null (an older Catalog's event) keeps the stored ones.</summary>
    public Task UpsertProfileAsync(Guid organizationId, Guid profileId, string name, string aduMethod, decimal leadTimeFactor,
        decimal variabilityFactor, BufferProfileParameters? parameters, DateTimeOffset version, CancellationToken cancellationToken)
    {
        var known = parameters is not null;
        // Catalog's defaults for a profile created before it published its parameters.
        var p = parameters ?? new BufferProfileParameters(90, 90, 0.3m, 0.5m, 0.5m, 50m, null);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO catalog_buffer_profiles (organization_id, buffer_profile_id, name, adu_method, lead_time_factor, variability_factor,
                adu_horizon_days, adu_forward_horizon_days, adu_alpha, adu_past_weight, adu_forward_weight, spike_threshold_percent,
                spike_horizon_days, parameters_known, version)
            VALUES ({organizationId}, {profileId}, {name}, {aduMethod}, {leadTimeFactor}, {variabilityFactor}, {p.AduHorizonDays},
                    {p.AduForwardHorizonDays}, {p.AduAlpha}, {p.AduPastWeight}, {p.AduForwardWeight}, {p.SpikeThresholdPercent},
                    {p.SpikeHorizonDays}, {known}, {version})
            ON CONFLICT (organization_id, buffer_profile_id) DO UPDATE
            SET name = excluded.name, adu_method = excluded.adu_method, lead_time_factor = excluded.lead_time_factor,
                variability_factor = excluded.variability_factor, version = excluded.version,
                adu_horizon_days = CASE WHEN {known} THEN excluded.adu_horizon_days ELSE catalog_buffer_profiles.adu_horizon_days END,
                adu_forward_horizon_days = CASE WHEN {known} THEN excluded.adu_forward_horizon_days ELSE catalog_buffer_profiles.adu_forward_horizon_days END,
                adu_alpha = CASE WHEN {known} THEN excluded.adu_alpha ELSE catalog_buffer_profiles.adu_alpha END,
                adu_past_weight = CASE WHEN {known} THEN excluded.adu_past_weight ELSE catalog_buffer_profiles.adu_past_weight END,
                adu_forward_weight = CASE WHEN {known} THEN excluded.adu_forward_weight ELSE catalog_buffer_profiles.adu_forward_weight END,
                spike_threshold_percent = CASE WHEN {known} THEN excluded.spike_threshold_percent ELSE catalog_buffer_profiles.spike_threshold_percent END,
                spike_horizon_days = CASE WHEN {known} THEN excluded.spike_horizon_days ELSE catalog_buffer_profiles.spike_horizon_days END,
                parameters_known = catalog_buffer_profiles.parameters_known OR {known}
            WHERE catalog_buffer_profiles.version <= excluded.version
            """, cancellationToken);
    }

    public Task DeleteProfileAsync(Guid organizationId, Guid profileId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"DELETE FROM catalog_buffer_profiles WHERE organization_id = {organizationId} AND buffer_profile_id = {profileId}", cancellationToken);

    public Task UpsertSupplierAsync(Guid organizationId, Guid supplierId, int defaultLeadTimeDays, DateTimeOffset version,
        CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO catalog_suppliers (organization_id, supplier_id, default_lead_time_days, version)
            VALUES ({organizationId}, {supplierId}, {defaultLeadTimeDays}, {version})
            ON CONFLICT (organization_id, supplier_id) DO UPDATE
            SET default_lead_time_days = excluded.default_lead_time_days, version = excluded.version
            WHERE catalog_suppliers.version <= excluded.version
            """, cancellationToken);

    public Task DeleteSupplierAsync(Guid organizationId, Guid supplierId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"DELETE FROM catalog_suppliers WHERE organization_id = {organizationId} AND supplier_id = {supplierId}", cancellationToken);

    public Task UpsertLinkAsync(Guid organizationId, Guid productId, Guid supplierId, int leadTimeDays, decimal minimumOrderQuantity,
        decimal orderMultiple, bool isPrimary, DateTimeOffset version, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO catalog_supplier_links (organization_id, product_id, supplier_id, lead_time_days, minimum_order_quantity,
                                                order_multiple, is_primary, removed, version)
            VALUES ({organizationId}, {productId}, {supplierId}, {leadTimeDays}, {minimumOrderQuantity}, {orderMultiple}, {isPrimary}, false, {version})
            ON CONFLICT (organization_id, product_id, supplier_id) DO UPDATE
            SET lead_time_days = excluded.lead_time_days, minimum_order_quantity = excluded.minimum_order_quantity,
                order_multiple = excluded.order_multiple, is_primary = excluded.is_primary, removed = false, version = excluded.version
            WHERE catalog_supplier_links.version <= excluded.version
            """, cancellationToken);

    /// <summary>
    /// An unlink leaves a tombstone, unless a newer link event already made the link again; an older link event
    /// arriving later finds the tombstone newer and changes nothing.
    /// </summary>
    public Task DeleteLinkAsync(Guid organizationId, Guid productId, Guid supplierId, DateTimeOffset version, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO catalog_supplier_links (organization_id, product_id, supplier_id, lead_time_days, minimum_order_quantity,
                                                order_multiple, is_primary, removed, version)
            VALUES ({organizationId}, {productId}, {supplierId}, 0, 0, 0, false, true, {version})
            ON CONFLICT (organization_id, product_id, supplier_id) DO UPDATE
            SET removed = true, is_primary = false, version = excluded.version
            WHERE catalog_supplier_links.version <= excluded.version
            """, cancellationToken);

    /// <summary>
    /// What flow 4 just read from Catalog with the caller's token, so products whose events predate the copy (or were
    /// missed) can be recalculated later. Links and suppliers are stamped with the product's time, which no later
    /// event of theirs precedes; a supplier already known keeps its own.
    /// </summary>
    public async Task RefreshAsync(Guid organizationId, BufferSource source, CancellationToken cancellationToken)
    {
        var product = source.Product;
        var profile = source.Profile;
        if (!Guid.TryParse(product.Id, out var productId) || !Guid.TryParse(profile.Id, out var profileId))
        {
            return;
        }

        var productTime = product.UpdatedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
        var adjustments = product.DemandAdjustments
            .Select(a => DateOnly.TryParseExact(a.From, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
                && DateOnly.TryParseExact(a.To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
                ? new DemandAdjustmentPeriod(from, to, (decimal)a.Factor) : null)
            .ToList();
        if (adjustments.Contains(null))
        {
            return; // the calculation refuses such a product anyway
        }

        await UpsertProductAsync(organizationId, productId, product.Sku, product.Status, profileId,
            new ProductBufferTerms(product.HasLeadTimeOverrideDays ? product.LeadTimeOverrideDays : null, product.OrderCycleDays,
                product.UnitPrecision, [.. adjustments.OfType<DemandAdjustmentPeriod>()]), productTime, cancellationToken);
        await UpsertProfileAsync(organizationId, profileId, profile.Name, profile.AduMethod, (decimal)profile.LeadTimeFactor,
            (decimal)profile.VariabilityFactor, new BufferProfileParameters(profile.AduHorizonDays, profile.AduForwardHorizonDays,
                (decimal)profile.AduAlpha, (decimal)profile.AduPastWeight, (decimal)profile.AduForwardWeight, (decimal)profile.SpikeThresholdPercent,
                profile.HasSpikeHorizonDays ? profile.SpikeHorizonDays : null),
            profile.UpdatedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, cancellationToken);
        foreach (var link in product.Suppliers)
        {
            if (!Guid.TryParse(link.SupplierId, out var supplierId))
            {
                continue;
            }

            await UpsertLinkAsync(organizationId, productId, supplierId, link.LeadTimeDays, (decimal)link.MinimumOrderQuantity,
                (decimal)link.OrderMultiple, link.IsPrimary, productTime, cancellationToken);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO catalog_suppliers (organization_id, supplier_id, default_lead_time_days, version)
                VALUES ({organizationId}, {supplierId}, {link.SupplierDefaultLeadTime}, {DateTimeOffset.MinValue})
                ON CONFLICT DO NOTHING
                """, cancellationToken);
        }
    }

    /// <summary>
    /// The buffer sources of these products as the copy holds them, shaped as Catalog's gRPC answers so one
    /// preparation serves both; a product absent from the copy, deleted, known only without its terms, or without a
    /// profile whose parameters the copy knows, has none.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, BufferSource>> SourcesAsync(Guid organizationId, IReadOnlyCollection<Guid> productIds,
        CancellationToken cancellationToken)
    {
        var ids = productIds.ToArray();
        var products = await db.CopiedProducts.AsNoTracking()
            .Where(p => p.OrganizationId == organizationId && ids.Contains(p.ProductId) && p.TermsKnown && p.Status != DeletedStatus)
            .ToListAsync(cancellationToken);
        var profileIds = products.Where(p => p.BufferProfileId is not null).Select(p => p.BufferProfileId!.Value).Distinct().ToArray();
        var profiles = await db.CopiedBufferProfiles.AsNoTracking()
            .Where(b => b.OrganizationId == organizationId && profileIds.Contains(b.BufferProfileId) && b.ParametersKnown)
            .ToDictionaryAsync(b => b.BufferProfileId, cancellationToken);
        var links = (await db.CopiedSupplierLinks.AsNoTracking()
            .Where(l => l.OrganizationId == organizationId && ids.Contains(l.ProductId) && !l.Removed).ToListAsync(cancellationToken))
            .ToLookup(l => l.ProductId);
        var supplierIds = links.SelectMany(l => l).Select(l => l.SupplierId).Distinct().ToArray();
        var suppliers = await db.CopiedSuppliers.AsNoTracking()
            .Where(s => s.OrganizationId == organizationId && supplierIds.Contains(s.SupplierId))
            .ToDictionaryAsync(s => s.SupplierId, s => s.DefaultLeadTimeDays, cancellationToken);

        var sources = new Dictionary<Guid, BufferSource>();
        foreach (var product in products)
        {
            if (product.BufferProfileId is { } profileId && profiles.TryGetValue(profileId, out var profile))
            {
                sources[product.ProductId] = new BufferSource(
                    ProductMessage(product, links[product.ProductId], suppliers), ProfileMessage(profile));
            }
        }

        return sources;
    }

    private static CatalogProduct ProductMessage(CopiedProduct p, IEnumerable<CopiedSupplierLink> links, IReadOnlyDictionary<Guid, int> suppliers)
    {
        var message = new CatalogProduct
        {
            Id = p.ProductId.ToString(),
            OrganizationId = p.OrganizationId.ToString(),
            Sku = p.Sku,
            Status = p.Status,
            BufferProfileId = p.BufferProfileId?.ToString() ?? "",
            OrderCycleDays = p.OrderCycleDays,
            UnitPrecision = p.UnitPrecision,
            UpdatedAt = Timestamp.FromDateTimeOffset(p.Version),
        };
        if (p.LeadTimeOverrideDays is { } overrideDays)
        {
            message.LeadTimeOverrideDays = overrideDays;
        }

        message.DemandAdjustments.AddRange(p.DemandAdjustments.Select(a => new Giia.Catalog.Grpc.V1.DemandAdjustment
        {
            From = a.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            To = a.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Factor = (double)a.Factor,
        }));
        message.Suppliers.AddRange(links.OrderByDescending(l => l.IsPrimary).ThenBy(l => l.SupplierId).Select(l => new Giia.Catalog.Grpc.V1.ProductSupplierLink
        {
            SupplierId = l.SupplierId.ToString(),
            LeadTimeDays = l.LeadTimeDays,
            MinimumOrderQuantity = (double)l.MinimumOrderQuantity,
            OrderMultiple = (double)l.OrderMultiple,
            IsPrimary = l.IsPrimary,
            SupplierDefaultLeadTime = suppliers.GetValueOrDefault(l.SupplierId),
        }));
        return message;
    }

    private static CatalogProfile ProfileMessage(CopiedBufferProfile b)
    {
        var message = new CatalogProfile
        {
            Id = b.BufferProfileId.ToString(),
            OrganizationId = b.OrganizationId.ToString(),
            Name = b.Name,
            AduMethod = b.AduMethod,
            LeadTimeFactor = (double)b.LeadTimeFactor,
            VariabilityFactor = (double)b.VariabilityFactor,
            AduHorizonDays = b.AduHorizonDays,
            AduForwardHorizonDays = b.AduForwardHorizonDays,
            AduAlpha = (double)b.AduAlpha,
            AduPastWeight = (double)b.AduPastWeight,
            AduForwardWeight = (double)b.AduForwardWeight,
            SpikeThresholdPercent = (double)b.SpikeThresholdPercent,
            UpdatedAt = Timestamp.FromDateTimeOffset(b.Version),
        };
        if (b.SpikeHorizonDays is { } horizon)
        {
            message.SpikeHorizonDays = horizon;
        }

        return message;
    }
}
