using Giia.Catalog.Common;
using Giia.Catalog.Data;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.Products;

/// <summary>
/// The reads of products, for REST and gRPC alike: one product, one page ordered by SKU (<see cref="CatalogQueries{TEntity, TFilter}.ListAsync"/>,
/// the one list query), and the search of gRPC.
/// </summary>
public sealed class ProductQueries(CatalogDbContext db) : CatalogQueries<Product, ProductFilter>
{
    /// <summary>The most products a search answers with.</summary>
    public const int MaxSearchResults = 100;

    protected override string Kind => "Product";

    protected override IQueryable<Product> Table => db.Products;

    /// <summary>One product of the organization with its supplier links (and their suppliers), or not found.</summary>
    public Task<CatalogOutcome<Product>> GetWithSuppliersAsync(Guid organizationId, Guid id, CancellationToken ct) =>
        // One product's few links: one joined query, not the three round trips of a split query.
        FindAsync(Of(organizationId).Include(p => p.Suppliers).ThenInclude(l => l.Supplier).AsSingleQuery(), id, ct);

    /// <summary>
    /// Up to <see cref="MaxSearchResults"/> products whose SKU or name contains <paramref name="text"/>, best first
    /// (the exact SKU, then SKUs starting with it, then by SKU), optionally of one category.
    /// </summary>
    public async Task<CatalogOutcome<IReadOnlyList<Product>>> SearchAsync(Guid organizationId, string text, string? category, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        var errors = Validate(new ProductFilter(null, category, text));
        if (text.Length == 0)
        {
            errors.Add("query", "query is required.");
        }

        if (errors.Any)
        {
            return CatalogRefusal.Invalid(errors.Errors);
        }

        var literal = EscapeLike(text);
        var prefix = literal + "%";
        var items = await Filter(Of(organizationId), new ProductFilter(null, category, text))
            .OrderByDescending(p => EF.Functions.ILike(p.Sku, literal, @"\"))
            .ThenByDescending(p => EF.Functions.ILike(p.Sku, prefix, @"\"))
            .ThenBy(p => p.Sku)
            .Take(MaxSearchResults)
            .ToListAsync(ct);
        return new CatalogOutcome<IReadOnlyList<Product>>(items);
    }

    protected override FieldErrors Validate(ProductFilter filter) =>
        new FieldErrors()
            .OneOf("status", filter.Status, CatalogNames.Names<ProductStatus>())
            .OptionalText("category", filter.Category, 100)
            .OptionalText("search", filter.Search, ProductLimits.MaxSearchLength);

    protected override IQueryable<Product> Filter(IQueryable<Product> rows, ProductFilter filter)
    {
        if (CatalogNames.ParseEnum<ProductStatus>(filter.Status) is { } wanted)
        {
            rows = rows.Where(p => p.Status == wanted);
        }

        if (!string.IsNullOrWhiteSpace(filter.Category))
        {
            rows = rows.Where(p => p.Category == filter.Category);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            rows = Matching(rows, filter.Search.Trim());
        }

        return rows;
    }

    /// <summary>The list's page through <see cref="ProductPageReader"/> (same rows as <see cref="Filter"/> and <see cref="Order"/>).</summary>
    protected override async Task<Page<Product>> ReadPageAsync(Guid organizationId, ProductFilter filter, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var found = await ProductPageReader.ReadAsync(db, organizationId, CatalogNames.ParseEnum<ProductStatus>(filter.Status), filter.Category,
            filter.Search, page, ct);
        if (filter.WithSuppliers)
        {
            await ProductPageReader.WithLinksAsync(db, organizationId, found, ct);
        }

        return found;
    }

    protected override IOrderedQueryable<Product> Order(IQueryable<Product> rows) => rows.OrderBy(p => p.Sku).ThenBy(p => p.Id);

    /// <summary>
    /// Products whose SKU or name contains <paramref name="text"/>, any case. ILIKE with the pattern characters escaped,
    /// so a search for "50%" finds "50%" and nothing else; served by the trigram indexes on both columns.
    /// </summary>
    private static IQueryable<Product> Matching(IQueryable<Product> products, string text)
    {
        var pattern = "%" + EscapeLike(text) + "%";
        return products.Where(p => EF.Functions.ILike(p.Sku, pattern, @"\") || EF.Functions.ILike(p.Name, pattern, @"\"));
    }

    /// <summary>The text as a literal inside a LIKE pattern (escape character: backslash).</summary>
    public static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
