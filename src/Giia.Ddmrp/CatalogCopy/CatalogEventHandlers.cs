using Giia.Ddmrp.Data;
using Giia.Ddmrp.Recalculations;
using Giia.Events.Contracts;
using Giia.Events.Subscriptions;

using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.CatalogCopy;

/// <summary>
/// Catalog's events, kept in the copy and followed by a recalculation of the buffers they affect (products already
/// calculated; a product without a buffer waits for its first calculation or the nightly job). Each event is handled
/// once, in one transaction with the job it starts.
/// </summary>
internal sealed class CatalogEventHandlers(DdmrpDbContext db, CatalogCopyStore copy, RecalculationJobs jobs) :
    IHandleEvent<ProductCreated>, IHandleEvent<ProductUpdated>, IHandleEvent<ProductDeleted>,
    IHandleEvent<BufferProfileCreated>, IHandleEvent<BufferProfileUpdated>, IHandleEvent<BufferProfileDeleted>,
    IHandleEvent<SupplierCreated>, IHandleEvent<SupplierUpdated>, IHandleEvent<SupplierDeleted>,
    IHandleEvent<ProductSupplierLinked>, IHandleEvent<ProductSupplierLinkUpdated>, IHandleEvent<ProductSupplierUnlinked>
{
    public Task HandleAsync(EventContext<ProductCreated> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.UpsertProductAsync(e.OrganizationId, e.ProductId, e.Sku, e.Status, e.BufferProfileId, e.BufferTerms, e.CreatedAt, ct);
            return [];
        }, cancellationToken);

    public Task HandleAsync(EventContext<ProductUpdated> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.UpsertProductAsync(e.OrganizationId, e.ProductId, e.Sku, e.Status, e.BufferProfileId, e.BufferTerms, e.UpdatedAt, ct);
            return await WithBuffersAsync(e.OrganizationId, db.Buffers.Where(b => b.ProductId == e.ProductId), ct);
        }, cancellationToken);

    public Task HandleAsync(EventContext<ProductDeleted> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.DeleteProductAsync(e.OrganizationId, e.ProductId, e.Sku, e.DeletedAt, ct);
            return [];
        }, cancellationToken);

    public Task HandleAsync(EventContext<BufferProfileCreated> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.UpsertProfileAsync(e.OrganizationId, e.BufferProfileId, e.Name, e.AduMethod, e.LeadTimeFactor, e.VariabilityFactor,
                e.Parameters, e.CreatedAt, ct);
            // A product may have been moved to the profile before the profile reached the copy.
            return await WithBuffersAsync(e.OrganizationId, UsingProfile(e.BufferProfileId), ct);
        }, cancellationToken);

    public Task HandleAsync(EventContext<BufferProfileUpdated> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.UpsertProfileAsync(e.OrganizationId, e.BufferProfileId, e.Name, e.AduMethod, e.LeadTimeFactor, e.VariabilityFactor,
                e.Parameters, e.UpdatedAt, ct);
            return await WithBuffersAsync(e.OrganizationId, UsingProfile(e.BufferProfileId), ct);
        }, cancellationToken);

    public Task HandleAsync(EventContext<BufferProfileDeleted> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.DeleteProfileAsync(e.OrganizationId, e.BufferProfileId, ct);
            return [];
        }, cancellationToken);

    public Task HandleAsync(EventContext<SupplierCreated> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.UpsertSupplierAsync(e.OrganizationId, e.SupplierId, e.DefaultLeadTime, e.CreatedAt, ct);
            // A link to the supplier may have reached the copy first.
            return await WithBuffersAsync(e.OrganizationId, PrimarilyFrom(e.SupplierId), ct);
        }, cancellationToken);

    public Task HandleAsync(EventContext<SupplierUpdated> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.UpsertSupplierAsync(e.OrganizationId, e.SupplierId, e.DefaultLeadTime, e.UpdatedAt, ct);
            return await WithBuffersAsync(e.OrganizationId, PrimarilyFrom(e.SupplierId), ct);
        }, cancellationToken);

    public Task HandleAsync(EventContext<SupplierDeleted> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.DeleteSupplierAsync(e.OrganizationId, e.SupplierId, ct);
            return [];
        }, cancellationToken);

    public Task HandleAsync(EventContext<ProductSupplierLinked> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.UpsertLinkAsync(e.OrganizationId, e.ProductId, e.SupplierId, e.LeadTimeDays, e.MinimumOrderQuantity, e.OrderMultiple,
                e.IsPrimary, e.LinkedAt, ct);
            return await WithBuffersAsync(e.OrganizationId, db.Buffers.Where(b => b.ProductId == e.ProductId), ct);
        }, cancellationToken);

    public Task HandleAsync(EventContext<ProductSupplierLinkUpdated> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.UpsertLinkAsync(e.OrganizationId, e.ProductId, e.SupplierId, e.LeadTimeDays, e.MinimumOrderQuantity, e.OrderMultiple,
                e.IsPrimary, e.UpdatedAt, ct);
            return await WithBuffersAsync(e.OrganizationId, db.Buffers.Where(b => b.ProductId == e.ProductId), ct);
        }, cancellationToken);

    public Task HandleAsync(EventContext<ProductSupplierUnlinked> context, CancellationToken cancellationToken) =>
        Handle(context, context.Data.OrganizationId, async (e, ct) =>
        {
            await copy.DeleteLinkAsync(e.OrganizationId, e.ProductId, e.SupplierId, e.UnlinkedAt, ct);
            return await WithBuffersAsync(e.OrganizationId, db.Buffers.Where(b => b.ProductId == e.ProductId), ct);
        }, cancellationToken);

    /// <summary>Applies the event once and starts a job for the buffers it affects, all in one transaction.</summary>
    private async Task Handle<TEvent>(EventContext<TEvent> context, Guid organizationId, Func<TEvent, CancellationToken, Task<Guid[]>> apply,
        CancellationToken cancellationToken) where TEvent : notnull
    {
        if (context.Envelope.OrganizationId is { } tenant && tenant != organizationId)
        {
            // An event whose envelope and data name different organizations is nobody's to apply.
            throw new InvalidOperationException($"{context.Envelope.Type} {context.Envelope.Id}: envelope organization {tenant} differs from its data's {organizationId}");
        }

        await db.HandleOnceAsync(context, async ct =>
        {
            var affected = await apply(context.Data, ct);
            if (affected.Length > 0)
            {
                await jobs.QueueForProductsAsync(organizationId, affected, RecalculationTrigger.Catalog,
                    $"{context.Envelope.Type} {context.Envelope.Subject}", ct);
            }
        }, cancellationToken);
    }

    private IQueryable<Buffers.BufferState> UsingProfile(Guid profileId) => db.Buffers.Where(b => db.CopiedProducts.Any(p =>
        p.OrganizationId == b.OrganizationId && p.ProductId == b.ProductId && p.BufferProfileId == profileId));

    private IQueryable<Buffers.BufferState> PrimarilyFrom(Guid supplierId) => db.Buffers.Where(b => db.CopiedSupplierLinks.Any(l =>
        l.OrganizationId == b.OrganizationId && l.ProductId == b.ProductId && l.SupplierId == supplierId && l.IsPrimary && !l.Removed));

    private static async Task<Guid[]> WithBuffersAsync(Guid organizationId, IQueryable<Buffers.BufferState> buffers, CancellationToken ct) =>
        await buffers.Where(b => b.OrganizationId == organizationId).Select(b => b.ProductId).OrderBy(id => id).ToArrayAsync(ct);
}
