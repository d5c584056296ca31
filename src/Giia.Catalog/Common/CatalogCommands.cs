using System.Linq.Expressions;

using Giia.Catalog.Data;
using Giia.Events.Outbox;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.Common;

/// <summary>
/// The changes every catalog entity shares: create, update and delete within the caller's organization, with
/// validation, the If-Match precondition, the uniqueness of the entity's key, its event in the outbox in the same
/// SaveChanges, and the database's refusals (unique index, foreign key, concurrent change) mapped to
/// <see cref="CatalogRefusal"/>s. A capability says only what its rows, key, fields, events and uses are.
/// </summary>
public abstract class CatalogCommands<TEntity, TRequest, TCreated, TUpdated, TDeleted>(CatalogDbContext db, EventOutbox outbox,
    TimeProvider time)
    where TEntity : class, ICatalogEntity
    where TCreated : notnull
    where TUpdated : notnull
    where TDeleted : notnull
{
    protected CatalogDbContext Db => db;

    /// <summary>What a row is called in a refusal, e.g. <c>Product</c>.</summary>
    protected abstract string Kind { get; }

    protected abstract DbSet<TEntity> Rows { get; }

    /// <summary>Whether a delete, like an update, must name the version it saw in If-Match.</summary>
    protected virtual bool DeleteNeedsIfMatch => false;

    /// <summary>The subject of the row's events, e.g. <c>products/{id}</c>.</summary>
    protected abstract string SubjectOf(TEntity row);

    protected abstract Task<FieldErrors> ValidateAsync(Guid organizationId, TRequest request, CancellationToken ct);

    /// <summary>The request's key, unique in the organization (SKU, code, name), as stored.</summary>
    protected abstract string KeyOf(TRequest request);

    protected abstract Expression<Func<TEntity, bool>> HasKey(string key);

    protected abstract CatalogRefusal KeyTaken(string key);

    /// <summary>The refusal when a row the request refers to was deleted while saving (a foreign key); null: none refers.</summary>
    protected virtual CatalogRefusal? ReferenceGone(TRequest request) => null;

    /// <summary>A new row of the organization with this key; <see cref="Apply"/> sets the rest.</summary>
    protected abstract TEntity NewRow(Guid organizationId, string key, DateTimeOffset now);

    /// <summary>Sets the row's key and fields from a valid request.</summary>
    protected abstract void Apply(TEntity row, string key, TRequest request, DateTimeOffset now);

    protected abstract TCreated Created(TEntity row, DateTimeOffset at);

    protected abstract TUpdated Updated(TEntity row, DateTimeOffset at);

    protected abstract TDeleted Deleted(TEntity row, DateTimeOffset at);

    /// <summary>How many rows use this one (a delete is refused while any do).</summary>
    protected virtual Task<int> UsesAsync(Guid id, CancellationToken ct) => Task.FromResult(0);

    /// <summary>The refusal of a delete while <paramref name="uses"/> rows use the row.</summary>
    protected virtual CatalogRefusal? InUse(int uses) => null;

    public async Task<CatalogOutcome<TEntity>> CreateAsync(Guid organizationId, TRequest request, CancellationToken ct)
    {
        if (await ValidateAsync(organizationId, request, ct) is { Any: true } errors)
        {
            return CatalogRefusal.Invalid(errors.Errors);
        }

        var key = KeyOf(request);
        if (await IsTakenAsync(organizationId, key, null, ct))
        {
            return KeyTaken(key);
        }

        var now = time.GetUtcNow();
        var row = NewRow(organizationId, key, now);
        Apply(row, key, request, now);
        Rows.Add(row);
        outbox.Enqueue(db, Created(row, now), organizationId, SubjectOf(row));
        return await SaveAsync(row, key, request, ct);
    }

    /// <summary>Replaces the row's fields, based on the version <paramref name="ifMatch"/> names.</summary>
    public async Task<CatalogOutcome<TEntity>> UpdateAsync(Guid organizationId, Guid id, TRequest request, string? ifMatch, CancellationToken ct)
    {
        if (await ValidateAsync(organizationId, request, ct) is { Any: true } errors)
        {
            return CatalogRefusal.Invalid(errors.Errors);
        }

        var row = await FindAsync(organizationId, id, ct);
        if (row is null)
        {
            return CatalogRefusal.NotFound(Kind, id);
        }

        if (ETags.Check(ifMatch, row.Version) is { } precondition)
        {
            return precondition;
        }

        var key = KeyOf(request);
        if (await IsTakenAsync(organizationId, key, id, ct))
        {
            return KeyTaken(key);
        }

        var now = time.GetUtcNow();
        Apply(row, key, request, now);
        outbox.Enqueue(db, Updated(row, now), organizationId, SubjectOf(row));
        return await SaveAsync(row, key, request, ct);
    }

    /// <summary>Deletes the row (based on the version <paramref name="ifMatch"/> names, where deletes need it) unless rows use it.</summary>
    public async Task<CatalogOutcome<TEntity>> DeleteAsync(Guid organizationId, Guid id, string? ifMatch, CancellationToken ct)
    {
        var row = await FindAsync(organizationId, id, ct);
        if (row is null)
        {
            return CatalogRefusal.NotFound(Kind, id);
        }

        if (DeleteNeedsIfMatch && ETags.Check(ifMatch, row.Version) is { } precondition)
        {
            return precondition;
        }

        var uses = await UsesAsync(id, ct);
        if (uses > 0 && InUse(uses) is { } inUse)
        {
            return inUse;
        }

        Rows.Remove(row);
        outbox.Enqueue(db, Deleted(row, time.GetUtcNow()), organizationId, SubjectOf(row));
        // The foreign key catches a row that started using this one between the count and the delete.
        return await CatalogSave.SaveAsync(db, ct, onMissingReference: InUse(1)) is { } refused
            ? refused
            : new CatalogOutcome<TEntity>(row, row.Version);
    }

    /// <summary>A row of the organization, tracked for a change; null when absent or another organization's.</summary>
    private Task<TEntity?> FindAsync(Guid organizationId, Guid id, CancellationToken ct) =>
        Rows.SingleOrDefaultAsync(r => r.Id == id && r.OrganizationId == organizationId, ct);

    private Task<bool> IsTakenAsync(Guid organizationId, string key, Guid? except, CancellationToken ct)
    {
        var holders = Rows.Where(r => r.OrganizationId == organizationId).Where(HasKey(key));
        if (except is { } id)
        {
            holders = holders.Where(r => r.Id != id);
        }

        return holders.AnyAsync(ct);
    }

    private async Task<CatalogOutcome<TEntity>> SaveAsync(TEntity row, string key, TRequest request, CancellationToken ct) =>
        await CatalogSave.SaveAsync(db, ct, onDuplicate: KeyTaken(key), onMissingReference: ReferenceGone(request)) is { } refused
            ? refused
            : new CatalogOutcome<TEntity>(row, row.Version);
}
