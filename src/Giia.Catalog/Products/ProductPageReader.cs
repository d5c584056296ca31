using System.Data;
using System.Text;
using System.Text.Json;

using Giia.Catalog.Data;
using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;

using Npgsql;

using NpgsqlTypes;

namespace Giia.Catalog.Products;

/// <summary>
/// One page of an organization's products and their total in one statement (<c>count(*) OVER ()</c>), read with
/// Npgsql's reader. The list is the Catalog's hottest read: EF's count query, second round trip and materialization
/// (the demand adjustments are a JSON column) were most of its cost. Same filters, order and results as the EF query
/// it replaced (<see cref="ProductEndpoints.Filtered"/>), pinned by the list tests.
/// </summary>
public static class ProductPageReader
{
    private static readonly JsonSerializerOptions AdjustmentJson = new(JsonSerializerDefaults.Web);

    private const string Columns = """
        SELECT id, organization_id, sku, name, description, category, unit_of_measure, standard_cost, status, buffer_profile_id,
               lead_time_override_days, order_cycle_days, unit_precision, demand_adjustments, created_at, updated_at, xmin,
               count(*) OVER () AS total
        FROM products
        """;

    /// <summary>The page of <paramref name="organizationId"/>'s products matching the (validated) filters, ordered by SKU.</summary>
    public static async Task<Page<Product>> ReadAsync(CatalogDbContext db, Guid organizationId, ProductStatus? status, string? category,
        string? search, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(page);
        var sql = new StringBuilder(Columns).Append(" WHERE organization_id = $1");
        var parameters = new List<NpgsqlParameter> { new() { Value = organizationId, NpgsqlDbType = NpgsqlDbType.Uuid } };
        if (status is { } wanted)
        {
            parameters.Add(new NpgsqlParameter { Value = wanted.ToString(), NpgsqlDbType = NpgsqlDbType.Varchar });
            sql.Append(" AND status = $").Append(parameters.Count);
        }

        if (!string.IsNullOrWhiteSpace(category))
        {
            parameters.Add(new NpgsqlParameter { Value = category, NpgsqlDbType = NpgsqlDbType.Varchar });
            sql.Append(" AND category = $").Append(parameters.Count);
        }

        if (!string.IsNullOrWhiteSpace(search))
        {
            parameters.Add(new NpgsqlParameter { Value = "%" + ProductEndpoints.EscapeLike(search.Trim()) + "%", NpgsqlDbType = NpgsqlDbType.Text });
            var at = parameters.Count;
            sql.Append(" AND (sku ILIKE $").Append(at).Append(" ESCAPE '\\' OR name ILIKE $").Append(at).Append(" ESCAPE '\\')");
        }

        parameters.Add(new NpgsqlParameter { Value = page.Size, NpgsqlDbType = NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter { Value = page.Skip, NpgsqlDbType = NpgsqlDbType.Integer });
        sql.Append(" ORDER BY sku, id LIMIT $").Append(parameters.Count - 1).Append(" OFFSET $").Append(parameters.Count);

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var command = new NpgsqlCommand(sql.ToString(), connection);
            command.Parameters.AddRange(parameters.ToArray());
            var items = new List<Product>(page.Size);
            long? total = null;
            await using (var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleResult, ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    items.Add(Read(reader));
                    total ??= reader.GetInt64(17);
                }
            }

            // A page past the end has no row to carry the total: count on its own, as the page of an empty list would.
            total ??= page.Skip == 0 ? 0 : await CountAsync(connection, sql.ToString(), parameters, ct);
            return new Page<Product>(items, page.Number, page.Size, total.Value);
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

    private static async Task<long> CountAsync(NpgsqlConnection connection, string pageSql, List<NpgsqlParameter> parameters, CancellationToken ct)
    {
        // The same filters without the window, order and limits.
        var where = pageSql[pageSql.IndexOf(" WHERE ", StringComparison.Ordinal)..pageSql.IndexOf(" ORDER BY ", StringComparison.Ordinal)];
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM products{where}", connection);
        command.Parameters.AddRange(parameters.Take(parameters.Count - 2).Select(p => p.Clone()).ToArray());
        return (long)(await command.ExecuteScalarAsync(ct))!;
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
