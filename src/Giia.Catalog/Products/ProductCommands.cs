using System.Linq.Expressions;

using Giia.Catalog.Common;
using Giia.Catalog.Data;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

using static Giia.Catalog.Products.ProductLimits;

namespace Giia.Catalog.Products;

/// <summary>
/// Creating, changing and deleting products: the SKU is unique in the organization, the buffer profile must be
/// one of the organization's, and a delete (like an update) names the version it saw; its supplier links go with it.
/// </summary>
public sealed class ProductCommands(CatalogDbContext db, EventOutbox outbox, TimeProvider time)
    : CatalogCommands<Product, ProductRequest, ProductCreated, ProductUpdated, ProductDeleted>(db, outbox, time)
{
    protected override string Kind => "Product";

    protected override DbSet<Product> Rows => Db.Products;

    // Like an update, a delete names the version it saw: nobody deletes a product someone else just changed.
    protected override bool DeleteNeedsIfMatch => true;

    protected override string SubjectOf(Product row) => $"products/{row.Id}";

    protected override async Task<FieldErrors> ValidateAsync(Guid organizationId, ProductRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Text("sku", request.Sku, 64)
            .Text("name", request.Name, 200)
            .OptionalText("description", request.Description, 2000, multiline: true)
            .OptionalText("category", request.Category, 100)
            .Text("unitOfMeasure", request.UnitOfMeasure, 20)
            .Required("standardCost", request.StandardCost).Range("standardCost", request.StandardCost, 0, MaxAmount)
            .FitsColumn("standardCost", request.StandardCost, AmountPrecision, AmountScale)
            .OneOf("status", request.Status, CatalogNames.Names<ProductStatus>())
            .Range("leadTimeOverrideDays", request.LeadTimeOverrideDays, 0, MaxLeadTimeDays)
            .Range("orderCycleDays", request.OrderCycleDays, 0, MaxLeadTimeDays)
            .Range("unitPrecision", request.UnitPrecision, 0, MaxUnitPrecision);
        ValidateAdjustments(errors, request.DemandAdjustments);
        if (request.BufferProfileId is { } profileId
            && !await Db.BufferProfiles.AnyAsync(b => b.Id == profileId && b.OrganizationId == organizationId, ct))
        {
            errors.Add("bufferProfileId", $"bufferProfileId {profileId} is not a buffer profile of your organization.");
        }

        return errors;
    }

    protected override string KeyOf(ProductRequest request) =>
        request.Sku!.Trim();

    protected override Expression<Func<Product, bool>> HasKey(string key) => p => p.Sku == key;

    protected override CatalogRefusal KeyTaken(string key) =>
        CatalogRefusal.Conflict("SKU taken", $"A product with SKU '{key}' already exists in your organization.");

    protected override CatalogRefusal? ReferenceGone(ProductRequest request) =>
        CatalogRefusal.Conflict("Buffer profile gone", $"Buffer profile {request.BufferProfileId} was deleted while the product was being saved.");

    protected override Product NewRow(Guid organizationId, string key, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(), OrganizationId = organizationId, Sku = key, Name = "", UnitOfMeasure = "", CreatedAt = now };

    protected override void Apply(Product row, string key, ProductRequest request, DateTimeOffset now)
    {
        row.Sku = key;
        row.Name = request.Name!.Trim();
        row.Description = request.Description;
        row.Category = string.IsNullOrWhiteSpace(request.Category) ? null : request.Category.Trim();
        row.UnitOfMeasure = request.UnitOfMeasure!.Trim();
        row.StandardCost = request.StandardCost!.Value;
        row.Status = CatalogNames.ParseEnum<ProductStatus>(request.Status) ?? ProductStatus.Active;
        row.BufferProfileId = request.BufferProfileId;
        row.LeadTimeOverrideDays = request.LeadTimeOverrideDays;
        row.OrderCycleDays = request.OrderCycleDays ?? 0;
        row.UnitPrecision = request.UnitPrecision ?? 0;
        row.DemandAdjustments = [.. (request.DemandAdjustments ?? [])
            .Select(a => new DemandAdjustment { From = a.From!.Value, To = a.To!.Value, Factor = a.Factor!.Value })];
        row.UpdatedAt = now;
    }

    protected override ProductCreated Created(Product row, DateTimeOffset at) => ProductEvents.Created(row, at);

    protected override ProductUpdated Updated(Product row, DateTimeOffset at) => ProductEvents.Updated(row, at);

    protected override ProductDeleted Deleted(Product row, DateTimeOffset at) => ProductEvents.Deleted(row, at);

    private static void ValidateAdjustments(FieldErrors errors, IReadOnlyList<DemandAdjustmentView>? adjustments)
    {
        if (adjustments is null)
        {
            return;
        }

        if (adjustments.Count > MaxDemandAdjustments)
        {
            errors.Add("demandAdjustments", $"At most {MaxDemandAdjustments} demand adjustments per product.");
            return;
        }

        for (var i = 0; i < adjustments.Count; i++)
        {
            var field = $"demandAdjustments[{i}]";
            var (from, to, factor) = (adjustments[i]?.From, adjustments[i]?.To, adjustments[i]?.Factor);
            if (from is null || to is null || factor is null)
            {
                errors.Add(field, "from, to and factor are required.");
            }
            else if (to < from)
            {
                errors.Add(field, "to must not be before from.");
            }
            else if (factor is <= 0m or > MaxAdjustmentFactor || Math.Round(factor.Value, 4) != factor.Value)
            {
                errors.Add(field, $"factor must be greater than 0 and at most {MaxAdjustmentFactor}, with at most 4 decimals.");
            }
        }
    }
}
