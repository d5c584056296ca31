using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.Common;

/// <summary>
/// The reads every catalog entity shares, for REST and gRPC alike: one row of the caller's organization, and one
/// validated, filtered, ordered page of them. Reads are not tracked. A capability says only what its rows, filters
/// and order are.
/// </summary>
public abstract class CatalogQueries<TEntity, TFilter>
    where TEntity : class, ICatalogEntity
{
    /// <summary>What a row is called in a refusal, e.g. <c>Product</c>.</summary>
    protected abstract string Kind { get; }

    /// <summary>All rows of every organization.</summary>
    protected abstract IQueryable<TEntity> Table { get; }

    /// <summary>Field errors of the filter (empty when it is valid).</summary>
    protected abstract FieldErrors Validate(TFilter filter);

    /// <summary>The rows the (valid) filter selects.</summary>
    protected abstract IQueryable<TEntity> Filter(IQueryable<TEntity> rows, TFilter filter);

    /// <summary>The lists' order, total (ending with the id) so that pages never overlap.</summary>
    protected abstract IOrderedQueryable<TEntity> Order(IQueryable<TEntity> rows);

    /// <summary>The rows of one organization, untracked.</summary>
    public IQueryable<TEntity> Of(Guid organizationId) => Table.AsNoTracking().Where(r => r.OrganizationId == organizationId);

    /// <summary>One row of the organization, or <see cref="RefusalKind.NotFound"/>.</summary>
    public Task<CatalogOutcome<TEntity>> GetAsync(Guid organizationId, Guid id, CancellationToken ct) => FindAsync(Of(organizationId), id, ct);

    /// <summary>
    /// One page of the organization's rows that the filter selects, with the total; <see cref="RefusalKind.Invalid"/>
    /// naming the filter's and the paging's errors.
    /// </summary>
    public async Task<CatalogOutcome<Page<TEntity>>> ListAsync(Guid organizationId, TFilter filter, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        var errors = Validate(filter);
        foreach (var (field, messages) in page.Validate())
        {
            errors.Add(field, messages[0]);
        }

        if (errors.Any)
        {
            return CatalogRefusal.Invalid(errors.Errors);
        }

        return new CatalogOutcome<Page<TEntity>>(await ReadPageAsync(organizationId, filter, page, ct));
    }

    /// <summary>
    /// The page of a valid request: the filtered, ordered rows and their total, through EF. A capability whose list is
    /// hot enough to pay for its own read overrides it (products).
    /// </summary>
    protected virtual async Task<Page<TEntity>> ReadPageAsync(Guid organizationId, TFilter filter, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        var ordered = Order(Filter(Of(organizationId), filter));
        var total = await ordered.LongCountAsync(ct);
        var items = await ordered.Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new Page<TEntity>(items, page.Number, page.Size, total);
    }

    /// <summary>The row with this id among <paramref name="rows"/> (of one organization), or <see cref="RefusalKind.NotFound"/>.</summary>
    protected async Task<CatalogOutcome<TEntity>> FindAsync(IQueryable<TEntity> rows, Guid id, CancellationToken ct) =>
        await rows.SingleOrDefaultAsync(r => r.Id == id, ct) is { } row
            ? new CatalogOutcome<TEntity>(row, row.Version)
            : CatalogRefusal.NotFound(Kind, id);
}
