using System.Text;
using System.Text.Json;

using Giia.Catalog.Data;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

using Npgsql;

using NpgsqlTypes;

namespace Giia.Catalog.Products;

/// <summary>
/// One page of an organization's products and their total in one round trip (the page and a narrow <c>count(*)</c>
/// sent as one batch), read with Npgsql's reader. The list is the Catalog's hottest read: EF's second round trip and
/// its materialization (the demand adjustments are a JSON column) were most of its cost. Same filters, order and
/// results as the entity query (pinned by ProductPageReaderTests); the page query still stops after offset + size
/// rows of the (organization_id, sku) index, whatever the organization's size.
/// </summary>
public static class ProductPageReader
{
    private static readonly JsonSerializerOptions AdjustmentJson = new(JsonSerializerDefaults.Web);

    private const string Columns = """
        SELECT id, organization_id, sku, name, description, category, unit_of_measure, standard_cost, status, buffer_profile_id,
               lead_time_override_days, order_cycle_days, unit_precision, demand_adjustments, created_at, updated_at, xmin
        FROM products
        """;

    /// <summary>The page of <paramref name="organizationId"/>'s products matching the (validated) filters, ordered by SKU.</summary>
    public static async Task<Page<Product>> ReadAsync(CatalogDbContext db, Guid organizationId, ProductStatus? status, string? category,
        string? search, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(page);
        var (where, parameters) = Where(organizationId, status, category, search);
        // Outside a transaction the read is retried like EF's own queries (a pooled connection broken by a restart).
        return db.Database.CurrentTransaction is null
            ? await db.Database.CreateExecutionStrategy().ExecuteAsync(token => ReadPageAsync(db, where, parameters, page, token), ct)
            : await ReadPageAsync(db, where, parameters, page, ct);
    }

    /// <summary>The filters as SQL over numbered parameters: built once, used by the page and the count.</summary>
    private static (string Where, List<(object Value, NpgsqlDbType Type)> Parameters) Where(Guid organizationId, ProductStatus? status,
        string? category, string? search)
    {
        var parameters = new List<(object, NpgsqlDbType)> { (organizationId, NpgsqlDbType.Uuid) };
        var where = new StringBuilder(" WHERE organization_id = $1");
        if (status is { } wanted)
        {
            parameters.Add((wanted.ToString(), NpgsqlDbType.Varchar));
            where.Append(" AND status = $").Append(parameters.Count);
        }

        if (!string.IsNullOrWhiteSpace(category))
        {
            parameters.Add((category, NpgsqlDbType.Varchar));
            where.Append(" AND category = $").Append(parameters.Count);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            parameters.Add(("%" + ProductQueries.EscapeLike(search.Trim()) + "%", NpgsqlDbType.Text));
            var at = parameters.Count;
            where.Append(" AND (sku ILIKE $").Append(at).Append(" ESCAPE '\\' OR name ILIKE $").Append(at).Append(" ESCAPE '\\')");
        }

        return (where.ToString(), parameters);
    }

    private static async Task<Page<Product>> ReadPageAsync(CatalogDbContext db, string where, List<(object Value, NpgsqlDbType Type)> parameters,
        PageRequest page, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            var rows = new NpgsqlBatchCommand($"{Columns}{where} ORDER BY sku, id LIMIT ${parameters.Count + 1} OFFSET ${parameters.Count + 2}");
            var count = new NpgsqlBatchCommand($"SELECT count(*) FROM products{where}");
            foreach (var (value, type) in parameters)
            {
                rows.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
                count.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
            }

            rows.Parameters.Add(new NpgsqlParameter { Value = page.Size, NpgsqlDbType = NpgsqlDbType.Integer });
            rows.Parameters.Add(new NpgsqlParameter { Value = page.Skip, NpgsqlDbType = NpgsqlDbType.Integer });
            batch.BatchCommands.Add(rows);
            batch.BatchCommands.Add(count);
            var items = new List<Product>(page.Size);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                items.Add(Read(reader));
            }

            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            return new Page<Product>(items, page.Number, page.Size, reader.GetInt64(0));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Fills in the supplier links (with their suppliers) of a page's products, in one query.</summary>
    public static async Task WithLinksAsync(CatalogDbContext db, Guid organizationId, Page<Product> page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(page);
        if (page.Items.Count == 0)
        {
            return;
        }

        var ids = page.Items.Select(p => p.Id).ToList();
        var links = await db.ProductSuppliers.AsNoTracking().Include(l => l.Supplier)
            .Where(l => l.OrganizationId == organizationId && ids.Contains(l.ProductId)).ToListAsync(ct);
        var byProduct = links.ToLookup(l => l.ProductId);
        foreach (var product in page.Items)
        {
            product.Suppliers = [.. byProduct[product.Id]];
        }
    }

    private static Product Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        OrganizationId = reader.GetGuid(1),
        Sku = reader.GetString(2),
        Name = reader.GetString(3),
        Description = reader.IsDBNull(4) ? null : reader.GetString(4),
        Category = reader.IsDBNull(5) ? null : reader.GetString(5),
        UnitOfMeasure = reader.GetString(6),
        StandardCost = reader.GetDecimal(7),
        Status = Enum.Parse<ProductStatus>(reader.GetString(8)),
        BufferProfileId = reader.IsDBNull(9) ? null : reader.GetGuid(9),
        LeadTimeOverrideDays = reader.IsDBNull(10) ? null : reader.GetInt32(10),
        OrderCycleDays = reader.GetInt32(11),
        UnitPrecision = reader.GetInt32(12),
        DemandAdjustments = reader.IsDBNull(13) ? [] : JsonSerializer.Deserialize<List<DemandAdjustment>>(reader.GetString(13), AdjustmentJson) ?? [],
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(14),
        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(15),
        Version = reader.GetFieldValue<uint>(16),
    };
}
