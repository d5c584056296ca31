extern alias catalogservice;

using System.Text.Json;

using catalogservice::Giia.Catalog.Data;
using catalogservice::Giia.Catalog.Products;

using Giia.HttpApi;
using Giia.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace Giia.Tests.Catalog;

/// <summary>
/// The hand-written product list read gives what the entity query gives, for every filter, page and kind of row
/// (null columns, demand adjustments, pattern characters in names, another organization's rows beside).
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class ProductPageReaderTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Every_filter_and_page_reads_the_same_rows_total_and_values_as_the_entity_query()
    {
        var organization = Guid.NewGuid();
        var other = Guid.NewGuid();
        var options = new DbContextOptionsBuilder<CatalogDbContext>().UseNpgsql(await fixture.ConnectionStringAsync("catalogdb")).Options;
        await using (var seed = new CatalogDbContext(options))
        {
            var now = DateTimeOffset.UtcNow;
            string[] names = ["Bolt 50%", "bolt_long", "Nut", "Washer", "Ñandú sprocket", "Bolt\\back"];
            for (var i = 0; i < 37; i++)
            {
                seed.Products.Add(new Product
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = i % 9 == 8 ? other : organization,
                    Sku = $"{(char)('A' + (i * 7 % 26))}-{i:D3}",
                    Name = names[i % names.Length],
                    Description = i % 3 == 0 ? null : $"described {i}",
                    Category = i % 4 == 0 ? null : (i % 2 == 0 ? "Fasteners" : "Hardware"),
                    UnitOfMeasure = "EA",
                    StandardCost = 1.2345m * i,
                    Status = (ProductStatus)(i % 3),
                    LeadTimeOverrideDays = i % 5 == 0 ? i : null,
                    OrderCycleDays = i % 7,
                    UnitPrecision = i % 4,
                    DemandAdjustments = i % 6 == 0 ? [] :
                        [new DemandAdjustment { From = new DateOnly(2027, 1, 1), To = new DateOnly(2027, 1, 1 + i % 20), Factor = 1.5m + i / 100m }],
                    CreatedAt = now.AddMinutes(-i),
                    UpdatedAt = now,
                });
            }

            await seed.SaveChangesAsync();
        }

        var cases = new List<(ProductStatus? Status, string? Category, string? Search, int Page, int Size)>();
        foreach (var status in new ProductStatus?[] { null, ProductStatus.Active, ProductStatus.Discontinued })
        {
            foreach (var category in new[] { null, "Fasteners" })
            {
                foreach (var search in new[] { null, "bolt", "50%", "_", "\\", "ñandú", "nothing" })
                {
                    cases.AddRange([(status, category, search, 1, 100), (status, category, search, 2, 3), (status, category, search, 40, 5)]);
                }
            }
        }

        await using var db = new CatalogDbContext(options);
        foreach (var (status, category, search, page, size) in cases)
        {
            var request = new PageRequest(page, size);
            var read = await ProductPageReader.ReadAsync(db, organization, status, category, search, request, CancellationToken.None);
            var (expected, total) = await EntityQueryAsync(db, organization, status, category, search, request);
            var what = $"status {status}, category {category}, search {search}, page {page} of {size}";
            Assert.True(total == read.Total, $"{what}: total {read.Total}, expected {total}");
            Assert.Equal(page, read.PageNumber);
            Assert.Equal(size, read.PageSize);
            Assert.Equal(expected.Select(Snapshot), read.Items.Select(Snapshot));
        }
    }

    /// <summary>The entity query the list used before: same filters, SKU order, then the total.</summary>
    private static async Task<(List<Product> Items, long Total)> EntityQueryAsync(CatalogDbContext db, Guid organization, ProductStatus? status,
        string? category, string? search, PageRequest page)
    {
        var query = db.Products.AsNoTracking().Where(p => p.OrganizationId == organization);
        if (status is { } wanted)
        {
            query = query.Where(p => p.Status == wanted);
        }

        if (category is not null)
        {
            query = query.Where(p => p.Category == category);
        }

        if (search is not null)
        {
            var pattern = "%" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = query.Where(p => EF.Functions.ILike(p.Sku, pattern, @"\") || EF.Functions.ILike(p.Name, pattern, @"\"));
        }

        var ordered = query.OrderBy(p => p.Sku).ThenBy(p => p.Id);
        return (await ordered.Skip(page.Skip).Take(page.Size).ToListAsync(), await ordered.LongCountAsync());
    }

    private static string Snapshot(Product p) => JsonSerializer.Serialize(new
    {
        p.Id,
        p.OrganizationId,
        p.Sku,
        p.Name,
        p.Description,
        p.Category,
        p.UnitOfMeasure,
        p.StandardCost,
        p.Status,
        p.BufferProfileId,
        p.LeadTimeOverrideDays,
        p.OrderCycleDays,
        p.UnitPrecision,
        p.DemandAdjustments,
        Created = p.CreatedAt.UtcTicks,
        Updated = p.UpdatedAt.UtcTicks,
        p.Version,
    });
}
