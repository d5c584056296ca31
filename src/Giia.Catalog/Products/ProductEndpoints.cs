using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Catalog.Api;
using Giia.Catalog.Data;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.ServiceDefaults;
using Giia.ServiceDefaults.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.Products;

public static class ProductEndpoints
{
    /// <summary>A product as written; the DDMRP fields are optional (no lead-time override, no order cycle, whole units, no adjustments).</summary>
    [RequestExample("""{"sku":"BOLT-M8","name":"Hex bolt M8","description":"Zinc-plated, DIN 933","category":"fasteners","unitOfMeasure":"each","standardCost":0.12,"status":"active","bufferProfileId":null,"orderCycleDays":7,"unitPrecision":0}""")]
    public sealed record ProductRequest(
        [Required, MaxLength(64), Description("Unique in the organization.")] string? Sku,
        [Required, MaxLength(200)] string? Name,
        [MaxLength(2000)] string? Description,
        [MaxLength(100)] string? Category,
        [Required, MaxLength(20)] string? UnitOfMeasure,
        [Required, Range(0d, 1_000_000_000d), Description("At most 4 decimals.")] decimal? StandardCost,
        [AllowedNames(typeof(ProductStatus)), Description("Default: active.")] string? Status,
        [Description("A buffer profile of the organization, or null for none.")] Guid? BufferProfileId,
        [Range(0, MaxLeadTimeDays), Description("Overrides the primary supplier's lead time; null for none.")] int? LeadTimeOverrideDays = null,
        [Range(0, MaxLeadTimeDays), Description("Default: 0 (no order cycle).")] int? OrderCycleDays = null,
        [Range(0, MaxUnitPrecision), Description("Decimals of the unit of measure; default 0 (whole units).")] int? UnitPrecision = null,
        [MaxLength(MaxDemandAdjustments)] IReadOnlyList<DemandAdjustmentView>? DemandAdjustments = null);

    public sealed record ProductView(Guid Id, string Sku, string Name, string? Description, string? Category, string UnitOfMeasure,
        decimal StandardCost, string Status, Guid? BufferProfileId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string ETag,
        int? LeadTimeOverrideDays, int OrderCycleDays, int UnitPrecision, IReadOnlyList<DemandAdjustmentView> DemandAdjustments);

    /// <summary>From and to are days (inclusive); factor multiplies the ADU in that period.</summary>
    public sealed record DemandAdjustmentView(DateOnly? From, DateOnly? To, decimal? Factor);

    public const decimal MaxAmount = 1_000_000_000m;
    public const int MaxLeadTimeDays = 3650;
    public const int MaxUnitPrecision = 6;
    public const int MaxDemandAdjustments = 50;
    public const decimal MaxAdjustmentFactor = 100m;

    /// <summary>Money and quantity columns, <c>numeric(18, 4)</c>.</summary>
    public const int AmountPrecision = 18;
    public const int AmountScale = 4;
    public const int MaxSearchLength = 100;

    public static IEndpointRouteBuilder MapProductEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/products").WithTags("Products").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        api.MapGet("/", ListAsync).WithName("ListProducts").RequirePermission(Permissions.CatalogRead)
            .WithSummary("List products")
            .WithDescription("One page of the organization's products ordered by SKU, filtered by status, category and a search in SKU and name. Needs `catalog:read`.");
        api.MapGet("/{id}", GetAsync).WithName("GetProduct").RequirePermission(Permissions.CatalogRead).ProducesETag()
            .WithSummary("Get a product")
            .WithDescription("One product of the organization, with its ETag for a later change. Needs `catalog:read`.");
        api.MapPost("/", CreateAsync).WithName("CreateProduct").RequirePermission(Permissions.CatalogWrite).ProducesETag()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Create a product")
            .WithDescription("Creates a product; the SKU must be unique in the organization (409 otherwise). Publishes `product.created`. Needs `catalog:write`.");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateProduct").RequirePermission(Permissions.CatalogWrite).RequiresIfMatch()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Update a product")
            .WithDescription("Replaces a product's fields, based on the version named in If-Match. Publishes `product.updated`. Needs `catalog:write`.");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteProduct").RequirePermission(Permissions.CatalogDelete).RequiresIfMatch()
            .WithSummary("Delete a product")
            .WithDescription("Deletes a product and its supplier links, based on the version named in If-Match. Publishes `product.deleted`. Needs `catalog:delete`.");
        api.MapProductSupplierEndpoints();
        return endpoints;
    }

    public static IQueryable<Product> Of(CatalogDbContext db, Guid organizationId) =>
        db.Products.AsNoTracking().Where(p => p.OrganizationId == organizationId);

    /// <summary>The list and search filters of REST and gRPC alike (validated with <see cref="ValidateFilters"/>); blank means any.</summary>
    public static IQueryable<Product> Filtered(IQueryable<Product> products, string? status, string? category, string? search)
    {
        if (CatalogApi.ParseEnum<ProductStatus>(status) is { } wanted)
        {
            products = products.Where(p => p.Status == wanted);
        }

        if (!string.IsNullOrWhiteSpace(category))
        {
            products = products.Where(p => p.Category == category);
        }

        return string.IsNullOrWhiteSpace(search) ? products : Matching(products, search.Trim());
    }

    /// <summary>
    /// Products whose SKU or name contains <paramref name="text"/>, any case. ILIKE with the pattern characters escaped,
    /// so a search for "50%" finds "50%" and nothing else; served by the trigram indexes on both columns.
    /// </summary>
    public static IQueryable<Product> Matching(IQueryable<Product> products, string text)
    {
        var pattern = "%" + EscapeLike(text) + "%";
        return products.Where(p => EF.Functions.ILike(p.Sku, pattern, @"\") || EF.Functions.ILike(p.Name, pattern, @"\"));
    }

    /// <summary>The text as a literal inside a LIKE pattern (escape character: backslash).</summary>
    public static string EscapeLike(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal)
            .Replace("_", @"\_", StringComparison.Ordinal);
    }

    public static ProductView View(Product p) => new(p.Id, p.Sku, p.Name, p.Description, p.Category, p.UnitOfMeasure, p.StandardCost,
        CatalogApi.Lower(p.Status), p.BufferProfileId, p.CreatedAt, p.UpdatedAt, CatalogApi.ETagOf(p.Version), p.LeadTimeOverrideDays,
        p.OrderCycleDays, p.UnitPrecision, [.. p.DemandAdjustments.Select(a => new DemandAdjustmentView(a.From, a.To, a.Factor))]);

    /// <summary>Field errors of the list and search filters shared by REST and gRPC.</summary>
    public static FieldErrors ValidateFilters(string? status, string? category, string? search) => new FieldErrors()
        .OneOf("status", status, CatalogApi.Names<ProductStatus>())
        .OptionalText("category", category, 100)
        .OptionalText("search", search, MaxSearchLength);

    private static async Task<Results<Ok<Page<ProductView>>, ValidationProblem>> ListAsync(ClaimsPrincipal user, CatalogDbContext db,
        [AllowedNames(typeof(ProductStatus))] string? status, [MaxLength(100)] string? category,
        [MaxLength(MaxSearchLength), Description("Matches SKU or name, ignoring case.")] string? search,
        [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken ct)
    {
        var request = new PageRequest(page, pageSize);
        if (CatalogApi.Invalid(request, ValidateFilters(status, category, search)) is { } invalid)
        {
            return invalid;
        }

        var found = await ProductPageReader.ReadAsync(db, CatalogApi.OrganizationOf(user), CatalogApi.ParseEnum<ProductStatus>(status), category, search,
            request, ct);
        return TypedResults.Ok(new Page<ProductView>([.. found.Items.Select(View)], found.PageNumber, found.PageSize, found.Total));
    }

    private static Task<Results<Ok<ProductView>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user,
        CatalogDbContext db, HttpContext http, CancellationToken ct) =>
        CatalogApi.GetOneAsync(Of(db, CatalogApi.OrganizationOf(user)), id, "Product", View, http, ct);

    private static async Task<Results<Created<ProductView>, ValidationProblem, ProblemHttpResult>> CreateAsync(ProductRequest request,
        ClaimsPrincipal user, CatalogDbContext db, EventOutbox outbox, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var organizationId = CatalogApi.OrganizationOf(user);
        if (await ValidateAsync(request, db, organizationId, ct) is { Any: true } errors)
        {
            return errors.Problem();
        }

        var sku = request.Sku!.Trim();
        if (await db.Products.AnyAsync(p => p.OrganizationId == organizationId && p.Sku == sku, ct))
        {
            return SkuTaken(sku);
        }

        var now = time.GetUtcNow();
        var product = new Product { Id = Guid.CreateVersion7(), OrganizationId = organizationId, Sku = sku, Name = "", UnitOfMeasure = "", CreatedAt = now };
        Apply(product, request, now);
        db.Products.Add(product);
        outbox.Enqueue(db, ProductEvents.Created(product, now), organizationId, $"products/{product.Id}");
        if (await CatalogApi.SaveAsync(db, ct, onDuplicate: SkuTaken(sku), onMissingReference: ProfileGone(request.BufferProfileId)) is { } refused)
        {
            return refused;
        }

        CatalogApi.SetETag(http, product.Version);
        return TypedResults.Created($"/api/products/{product.Id}", View(product));
    }

    private static async Task<Results<Ok<ProductView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, ProductRequest request,
        ClaimsPrincipal user, CatalogDbContext db, EventOutbox outbox, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var productId, out var invalid))
        {
            return invalid!;
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        if (await ValidateAsync(request, db, organizationId, ct) is { Any: true } errors)
        {
            return errors.Problem();
        }

        var product = await CatalogApi.FindAsync(db.Products, organizationId, productId, ct);
        if (product is null)
        {
            return CatalogApi.NotFound("Product", productId);
        }

        if (CatalogApi.CheckIfMatch(http.Request, product.Version) is { } precondition)
        {
            return precondition;
        }

        var sku = request.Sku!.Trim();
        if (await db.Products.AnyAsync(p => p.OrganizationId == organizationId && p.Sku == sku && p.Id != productId, ct))
        {
            return SkuTaken(sku);
        }

        var now = time.GetUtcNow();
        product.Sku = sku;
        Apply(product, request, now);
        outbox.Enqueue(db, ProductEvents.Updated(product, now), organizationId, $"products/{product.Id}");
        if (await CatalogApi.SaveAsync(db, ct, onDuplicate: SkuTaken(sku), onMissingReference: ProfileGone(request.BufferProfileId)) is { } refused)
        {
            return refused;
        }

        CatalogApi.SetETag(http, product.Version);
        return TypedResults.Ok(View(product));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user,
        CatalogDbContext db, EventOutbox outbox, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var productId, out var invalid))
        {
            return invalid!;
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        var product = await CatalogApi.FindAsync(db.Products, organizationId, productId, ct);
        if (product is null)
        {
            return CatalogApi.NotFound("Product", productId);
        }

        // Like an update, a delete names the version it saw: nobody deletes a product someone else just changed.
        if (CatalogApi.CheckIfMatch(http.Request, product.Version) is { } precondition)
        {
            return precondition;
        }

        // Its supplier links go with it (cascade).
        db.Products.Remove(product);
        outbox.Enqueue(db, new ProductDeleted(product.Id, organizationId, product.Sku, time.GetUtcNow()), organizationId, $"products/{product.Id}");
        return await CatalogApi.SaveAsync(db, ct) is { } refused ? refused : TypedResults.NoContent();
    }

    private static async Task<FieldErrors> ValidateAsync(ProductRequest request, CatalogDbContext db, Guid organizationId, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Text("sku", request.Sku, 64)
            .Text("name", request.Name, 200)
            .OptionalText("description", request.Description, 2000, multiline: true)
            .OptionalText("category", request.Category, 100)
            .Text("unitOfMeasure", request.UnitOfMeasure, 20)
            .Required("standardCost", request.StandardCost).Range("standardCost", request.StandardCost, 0, MaxAmount)
            .FitsColumn("standardCost", request.StandardCost, AmountPrecision, AmountScale)
            .OneOf("status", request.Status, CatalogApi.Names<ProductStatus>())
            .Range("leadTimeOverrideDays", request.LeadTimeOverrideDays, 0, MaxLeadTimeDays)
            .Range("orderCycleDays", request.OrderCycleDays, 0, MaxLeadTimeDays)
            .Range("unitPrecision", request.UnitPrecision, 0, MaxUnitPrecision);
        ValidateAdjustments(errors, request.DemandAdjustments);
        if (request.BufferProfileId is { } profileId
            && !await db.BufferProfiles.AnyAsync(b => b.Id == profileId && b.OrganizationId == organizationId, ct))
        {
            errors.Add("bufferProfileId", $"bufferProfileId {profileId} is not a buffer profile of your organization.");
        }

        return errors;
    }

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

    private static void Apply(Product product, ProductRequest request, DateTimeOffset now)
    {
        product.Name = request.Name!.Trim();
        product.Description = request.Description;
        product.Category = string.IsNullOrWhiteSpace(request.Category) ? null : request.Category.Trim();
        product.UnitOfMeasure = request.UnitOfMeasure!.Trim();
        product.StandardCost = request.StandardCost!.Value;
        product.Status = CatalogApi.ParseEnum<ProductStatus>(request.Status) ?? ProductStatus.Active;
        product.BufferProfileId = request.BufferProfileId;
        product.LeadTimeOverrideDays = request.LeadTimeOverrideDays;
        product.OrderCycleDays = request.OrderCycleDays ?? 0;
        product.UnitPrecision = request.UnitPrecision ?? 0;
        product.DemandAdjustments = [.. (request.DemandAdjustments ?? [])
            .Select(a => new DemandAdjustment { From = a.From!.Value, To = a.To!.Value, Factor = a.Factor!.Value })];
        product.UpdatedAt = now;
    }

    private static ProblemHttpResult SkuTaken(string sku) =>
        CatalogApi.Conflict("SKU taken", $"A product with SKU '{sku}' already exists in your organization.");

    private static ProblemHttpResult ProfileGone(Guid? profileId) =>
        CatalogApi.Conflict("Buffer profile gone", $"Buffer profile {profileId} was deleted while the product was being saved.");
}
