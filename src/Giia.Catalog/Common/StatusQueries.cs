using System.Linq.Expressions;

using Giia.HttpApi;

namespace Giia.Catalog.Common;

/// <summary>The reads of an entity whose lists filter only by its status (<typeparamref name="TStatus"/>).</summary>
public abstract class StatusQueries<TEntity, TStatus> : CatalogQueries<TEntity, StatusFilter>
    where TEntity : class, ICatalogEntity
    where TStatus : struct, Enum
{
    /// <summary>The rows of this status.</summary>
    protected abstract Expression<Func<TEntity, bool>> HasStatus(TStatus status);

    protected override FieldErrors Validate(StatusFilter filter) =>
        new FieldErrors().OneOf("status", filter.Status, CatalogNames.Names<TStatus>());

    protected override IQueryable<TEntity> Filter(IQueryable<TEntity> rows, StatusFilter filter) =>
        CatalogNames.ParseEnum<TStatus>(filter.Status) is { } wanted ? rows.Where(HasStatus(wanted)) : rows;
}
