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

namespace Giia.Catalog.Suppliers;

public static class SupplierEndpoints
{
    [RequestExample("""{"code":"ACME","name":"Acme Fasteners","contactName":"Ana Ruiz","contactEmail":"orders@acme.example","contactPhone":"+34 600 000 000","defaultLeadTimeDays":12,"status":"active"}""")]
    public sealed record SupplierRequest(
        [Required, MaxLength(64), Description("Unique in the organization.")] string? Code,
        [Required, MaxLength(200)] string? Name,
        [MaxLength(200)] string? ContactName,
        [EmailAddress] string? ContactEmail,
        [MaxLength(50)] string? ContactPhone,
        [Required, Range(0, MaxLeadTimeDays)] int? DefaultLeadTimeDays,
        [AllowedNames(typeof(SupplierStatus)), Description("Default: active.")] string? Status);

    public sealed record SupplierView(Guid Id, string Code, string Name, string? ContactName, string? ContactEmail, string? ContactPhone,
        int DefaultLeadTimeDays, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string ETag);

    /// <summary>Longer than any real lead time; a larger number is a typo.</summary>
    public const int MaxLeadTimeDays = 3650;

    public static IEndpointRouteBuilder MapSupplierEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/suppliers").WithTags("Suppliers").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        api.MapGet("/", ListAsync).WithName("ListSuppliers").RequirePermission(Permissions.CatalogRead)
            .WithSummary("List suppliers")
            .WithDescription("One page of the organization's suppliers ordered by code, optionally only those of one status. Needs `catalog:read`.");
        api.MapGet("/{id}", GetAsync).WithName("GetSupplier").RequirePermission(Permissions.CatalogRead).ProducesETag()
            .WithSummary("Get a supplier")
            .WithDescription("One supplier of the organization, with its ETag for a later change. Needs `catalog:read`.");
        api.MapPost("/", CreateAsync).WithName("CreateSupplier").RequirePermission(Permissions.CatalogWrite).ProducesETag()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Create a supplier")
            .WithDescription("Creates a supplier; the code must be unique in the organization (409 otherwise). Publishes `supplier.created`. Needs `catalog:write`.");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateSupplier").RequirePermission(Permissions.CatalogWrite).RequiresIfMatch()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Update a supplier")
            .WithDescription("Replaces a supplier's fields, based on the version named in If-Match. Publishes `supplier.updated`. Needs `catalog:write`.");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteSupplier").RequirePermission(Permissions.CatalogDelete)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Delete a supplier")
            .WithDescription("Deletes a supplier no product is linked to (409 while links remain). Publishes `supplier.deleted`. Needs `catalog:delete`.");
        return endpoints;
    }

    public static IQueryable<Supplier> Of(CatalogDbContext db, Guid organizationId) =>
        db.Suppliers.AsNoTracking().Where(s => s.OrganizationId == organizationId);

    public static SupplierView View(Supplier s) => new(s.Id, s.Code, s.Name, s.ContactName, s.ContactEmail, s.ContactPhone, s.DefaultLeadTimeDays,
        CatalogApi.Lower(s.Status), s.CreatedAt, s.UpdatedAt, CatalogApi.ETagOf(s.Version));

    private static async Task<Results<Ok<Page<SupplierView>>, ValidationProblem>> ListAsync(ClaimsPrincipal user, CatalogDbContext db,
        [AllowedNames(typeof(SupplierStatus))] string? status, [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken ct)
    {
        var request = new PageRequest(page, pageSize);
        if (CatalogApi.Invalid(request, new FieldErrors().OneOf("status", status, CatalogApi.Names<SupplierStatus>())) is { } invalid)
        {
            return invalid;
        }

        var query = Of(db, CatalogApi.OrganizationOf(user));
        if (CatalogApi.ParseEnum<SupplierStatus>(status) is { } wanted)
        {
            query = query.Where(s => s.Status == wanted);
        }

        return TypedResults.Ok(await CatalogApi.PageAsync(query.OrderBy(s => s.Code).ThenBy(s => s.Id), request, View, ct));
    }

    private static Task<Results<Ok<SupplierView>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user,
        CatalogDbContext db, HttpContext http, CancellationToken ct) =>
        CatalogApi.GetOneAsync(Of(db, CatalogApi.OrganizationOf(user)), id, "Supplier", View, http, ct);

    private static async Task<Results<Created<SupplierView>, ValidationProblem, ProblemHttpResult>> CreateAsync(SupplierRequest request,
        ClaimsPrincipal user, CatalogDbContext db, EventOutbox outbox, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (Validate(request) is { Any: true } errors)
        {
            return errors.Problem();
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        var code = request.Code!.Trim();
        if (await db.Suppliers.AnyAsync(s => s.OrganizationId == organizationId && s.Code == code, ct))
        {
            return CodeTaken(code);
        }

        var now = time.GetUtcNow();
        var supplier = new Supplier { Id = Guid.CreateVersion7(), OrganizationId = organizationId, Code = code, Name = "", CreatedAt = now };
        Apply(supplier, request, now);
        db.Suppliers.Add(supplier);
        outbox.Enqueue(db, new SupplierCreated(supplier.Id, organizationId, supplier.Code, supplier.Name, supplier.DefaultLeadTimeDays,
            CatalogApi.Lower(supplier.Status), now), organizationId, $"suppliers/{supplier.Id}");
        if (await CatalogApi.SaveAsync(db, ct, onDuplicate: CodeTaken(code)) is { } refused)
        {
            return refused;
        }

        CatalogApi.SetETag(http, supplier.Version);
        return TypedResults.Created($"/api/suppliers/{supplier.Id}", View(supplier));
    }

    private static async Task<Results<Ok<SupplierView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, SupplierRequest request,
        ClaimsPrincipal user, CatalogDbContext db, EventOutbox outbox, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var supplierId, out var invalid))
        {
            return invalid!;
        }

        if (Validate(request) is { Any: true } errors)
        {
            return errors.Problem();
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        var supplier = await CatalogApi.FindAsync(db.Suppliers, organizationId, supplierId, ct);
        if (supplier is null)
        {
            return CatalogApi.NotFound("Supplier", supplierId);
        }

        if (CatalogApi.CheckIfMatch(http.Request, supplier.Version) is { } precondition)
        {
            return precondition;
        }

        var code = request.Code!.Trim();
        if (await db.Suppliers.AnyAsync(s => s.OrganizationId == organizationId && s.Code == code && s.Id != supplierId, ct))
        {
            return CodeTaken(code);
        }

        var now = time.GetUtcNow();
        supplier.Code = code;
        Apply(supplier, request, now);
        outbox.Enqueue(db, new SupplierUpdated(supplier.Id, organizationId, supplier.Code, supplier.Name, supplier.DefaultLeadTimeDays,
            CatalogApi.Lower(supplier.Status), now), organizationId, $"suppliers/{supplier.Id}");
        if (await CatalogApi.SaveAsync(db, ct, onDuplicate: CodeTaken(code)) is { } refused)
        {
            return refused;
        }

        CatalogApi.SetETag(http, supplier.Version);
        return TypedResults.Ok(View(supplier));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user,
        CatalogDbContext db, EventOutbox outbox, TimeProvider time, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var supplierId, out var invalid))
        {
            return invalid!;
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        var supplier = await CatalogApi.FindAsync(db.Suppliers, organizationId, supplierId, ct);
        if (supplier is null)
        {
            return CatalogApi.NotFound("Supplier", supplierId);
        }

        var links = await db.ProductSuppliers.CountAsync(l => l.SupplierId == supplierId, ct);
        if (links > 0)
        {
            return InUse(links);
        }

        db.Suppliers.Remove(supplier);
        outbox.Enqueue(db, new SupplierDeleted(supplier.Id, organizationId, supplier.Code, time.GetUtcNow()), organizationId, $"suppliers/{supplier.Id}");
        if (await CatalogApi.SaveAsync(db, ct, onMissingReference: InUse(1)) is { } refused)
        {
            return refused;
        }

        return TypedResults.NoContent();
    }

    private static FieldErrors Validate(SupplierRequest request) => new FieldErrors()
        .Text("code", request.Code, 64)
        .Text("name", request.Name, 200)
        .OptionalText("contactName", request.ContactName, 200)
        .OptionalEmail("contactEmail", request.ContactEmail)
        .OptionalText("contactPhone", request.ContactPhone, 50)
        .Required("defaultLeadTimeDays", request.DefaultLeadTimeDays).Range("defaultLeadTimeDays", request.DefaultLeadTimeDays, 0, MaxLeadTimeDays)
        .OneOf("status", request.Status, CatalogApi.Names<SupplierStatus>());

    private static void Apply(Supplier supplier, SupplierRequest request, DateTimeOffset now)
    {
        supplier.Name = request.Name!.Trim();
        supplier.ContactName = request.ContactName;
        supplier.ContactEmail = string.IsNullOrWhiteSpace(request.ContactEmail) ? null : request.ContactEmail.Trim();
        supplier.ContactPhone = request.ContactPhone;
        supplier.DefaultLeadTimeDays = request.DefaultLeadTimeDays!.Value;
        supplier.Status = CatalogApi.ParseEnum<SupplierStatus>(request.Status) ?? SupplierStatus.Active;
        supplier.UpdatedAt = now;
    }

    private static ProblemHttpResult CodeTaken(string code) =>
        CatalogApi.Conflict("Supplier code taken", $"A supplier with code '{code}' already exists in your organization.");

    private static ProblemHttpResult InUse(int links) => CatalogApi.Conflict("Supplier in use",
        $"{links} product(s) are linked to this supplier; remove the links before deleting it.");
}
