using Giia.Auth.Client;
using Giia.Catalog.Api;
using Giia.Catalog.BufferProfiles;
using Giia.Catalog.Data;
using Giia.Catalog.Grpc.V1;
using Giia.Catalog.Products;
using Giia.Catalog.Suppliers;
using Giia.ServiceDefaults;

using Google.Protobuf.WellKnownTypes;

using Grpc.Core;

using Microsoft.EntityFrameworkCore;

using BufferProfileMessage = Giia.Catalog.Grpc.V1.BufferProfile;
using ProductMessage = Giia.Catalog.Grpc.V1.Product;
using SupplierMessage = Giia.Catalog.Grpc.V1.Supplier;

namespace Giia.Catalog.Grpc;

/// <summary>
/// <c>catalog.v1.CatalogService</c>: reads for other services, over the same queries as REST. Each call needs the
/// caller's bearer token (validated against Auth's keys) and the permission declared on the method (asked of Auth
/// before the request is read); the organization is the token's, and another organization's ids answer NotFound.
/// </summary>
public sealed class CatalogGrpcService(CatalogDbContext db) : CatalogService.CatalogServiceBase
{
    private const int MaxSearchResults = 100;

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<GetProductResponse> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var id = ParseId(request.Id, "id");
        var product = await WithLinks(ProductEndpoints.Of(db, organizationId)).SingleOrDefaultAsync(p => p.Id == id, context.CancellationToken)
            ?? throw NotFound("product", id);
        return new GetProductResponse { Product = Message(product) };
    }

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var page = new PageRequest(request.Page == 0 ? null : request.Page, request.PageSize == 0 ? null : request.PageSize);
        var status = Blank(request.Status);
        ThrowIfInvalid(ProductEndpoints.ValidateFilters(status, null, null), page.Validate());
        var found = await ProductPageReader.ReadAsync(db, organizationId, CatalogApi.ParseEnum<ProductStatus>(status), null, null, page,
            context.CancellationToken);
        await ProductPageReader.WithLinksAsync(db, organizationId, found, context.CancellationToken);
        var response = new ListProductsResponse { Total = (int)found.Total, Page = found.PageNumber, PageSize = found.PageSize };
        response.Products.AddRange(found.Items.Select(Message));
        return response;
    }

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<SearchProductsResponse> SearchProducts(SearchProductsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var text = request.Query.Trim();
        var category = Blank(request.Category);
        var errors = ProductEndpoints.ValidateFilters(null, category, text);
        if (text.Length == 0)
        {
            errors.Add("query", "query is required.");
        }

        ThrowIfInvalid(errors);
        var query = ProductEndpoints.Filtered(ProductEndpoints.Of(db, organizationId), null, category, text);

        var literal = ProductEndpoints.EscapeLike(text);
        var prefix = literal + "%";
        var items = await query
            .OrderByDescending(p => EF.Functions.ILike(p.Sku, literal, @"\"))
            .ThenByDescending(p => EF.Functions.ILike(p.Sku, prefix, @"\"))
            .ThenBy(p => p.Sku)
            .Take(MaxSearchResults)
            .ToListAsync(context.CancellationToken);
        var response = new SearchProductsResponse();
        response.Products.AddRange(items.Select(Message));
        return response;
    }

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<GetSupplierResponse> GetSupplier(GetSupplierRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var id = ParseId(request.Id, "id");
        var supplier = await SupplierEndpoints.Of(db, organizationId).SingleOrDefaultAsync(s => s.Id == id, context.CancellationToken)
            ?? throw NotFound("supplier", id);
        return new GetSupplierResponse { Supplier = Message(supplier) };
    }

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<ListSuppliersResponse> ListSuppliers(ListSuppliersRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var status = Blank(request.Status);
        var page = UnpagedCapped(request.Page, request.PageSize);
        ThrowIfInvalid(new FieldErrors().OneOf("status", status, CatalogApi.Names<SupplierStatus>()), page.Validate());
        var query = SupplierEndpoints.Of(db, organizationId);
        if (CatalogApi.ParseEnum<SupplierStatus>(status) is { } wanted)
        {
            query = query.Where(s => s.Status == wanted);
        }

        var found = await CatalogApi.PageAsync(query.OrderBy(s => s.Code).ThenBy(s => s.Id), page, Message, context.CancellationToken);
        var response = new ListSuppliersResponse { Total = (int)found.Total, Page = found.PageNumber, PageSize = found.PageSize };
        response.Suppliers.AddRange(found.Items);
        return response;
    }

    [RequirePermission(Permissions.BuffersRead)]
    public override async Task<GetBufferProfileResponse> GetBufferProfile(GetBufferProfileRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var id = ParseId(request.Id, "id");
        var profile = await BufferProfileEndpoints.Of(db, organizationId).SingleOrDefaultAsync(b => b.Id == id, context.CancellationToken)
            ?? throw NotFound("buffer profile", id);
        return new GetBufferProfileResponse { BufferProfile = Message(profile) };
    }

    [RequirePermission(Permissions.BuffersRead)]
    public override async Task<ListBufferProfilesResponse> ListBufferProfiles(ListBufferProfilesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var page = UnpagedCapped(request.Page, request.PageSize);
        ThrowIfInvalid(new FieldErrors(), page.Validate());
        var found = await CatalogApi.PageAsync(BufferProfileEndpoints.Of(db, organizationId).OrderBy(b => b.Name).ThenBy(b => b.Id), page,
            Message, context.CancellationToken);
        var response = new ListBufferProfilesResponse { Total = (int)found.Total, Page = found.PageNumber, PageSize = found.PageSize };
        response.BufferProfiles.AddRange(found.Items);
        return response;
    }

    /// <summary>
    /// Paging for lists that had none: a client that asks for no page (both fields 0, as every older client sends)
    /// gets the first <see cref="PageRequest.MaxPageSize"/> rows, so no list is unbounded.
    /// </summary>
    private static PageRequest UnpagedCapped(int page, int pageSize) =>
        new(page == 0 ? null : page, pageSize == 0 ? PageRequest.MaxPageSize : pageSize);

    /// <summary>
    /// The caller's organization (the method's permission was checked before the call reached it). A request naming
    /// another organization is refused; a malformed id is InvalidArgument.
    /// </summary>
    private static Guid OrganizationOf(ServerCallContext context, string requestedOrganization)
    {
        if (requestedOrganization.Length > 0 && !Guid.TryParse(requestedOrganization, out _))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "organization_id must be a UUID (or empty for the caller's own)"));
        }

        var organizationId = Claims.OrganizationOf(context.GetHttpContext().User)!.Value;
        if (requestedOrganization.Length > 0 && Guid.Parse(requestedOrganization) != organizationId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "organization_id is not the caller's organization"));
        }

        return organizationId;
    }

    private static Guid ParseId(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} must be a UUID"));

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static void ThrowIfInvalid(FieldErrors errors, Dictionary<string, string[]>? more = null)
    {
        var all = errors.Errors.Concat(more ?? []).ToList();
        if (all.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, string.Join(" ", all.SelectMany(e => e.Value))));
        }
    }

    private static RpcException NotFound(string kind, Guid id) =>
        new(new Status(StatusCode.NotFound, $"no {kind} {id} in the caller's organization"));

    private static IQueryable<Products.Product> WithLinks(IQueryable<Products.Product> products) =>
        products.Include(p => p.Suppliers).ThenInclude(l => l.Supplier).AsSplitQuery();

    private static ProductMessage Message(Products.Product p)
    {
        var message = BaseMessage(p);
        if (p.LeadTimeOverrideDays is { } days)
        {
            message.LeadTimeOverrideDays = days;
        }

        message.DemandAdjustments.AddRange(p.DemandAdjustments.Select(a => new Giia.Catalog.Grpc.V1.DemandAdjustment
        {
            From = a.From.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            To = a.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Factor = (double)a.Factor,
        }));
        message.Suppliers.AddRange(p.Suppliers.OrderByDescending(l => l.IsPrimary).ThenBy(l => l.SupplierId).Select(l => new ProductSupplierLink
        {
            SupplierId = l.SupplierId.ToString(),
            LeadTimeDays = l.LeadTimeDays,
            UnitCost = (double)l.UnitCost,
            MinimumOrderQuantity = (double)l.MinimumOrderQuantity,
            OrderMultiple = (double)l.OrderMultiple,
            IsPrimary = l.IsPrimary,
            SupplierDefaultLeadTime = l.Supplier?.DefaultLeadTimeDays ?? 0,
        }));
        return message;
    }

    private static ProductMessage BaseMessage(Products.Product p) => new()
    {
        Id = p.Id.ToString(),
        OrganizationId = p.OrganizationId.ToString(),
        Sku = p.Sku,
        Name = p.Name,
        Description = p.Description ?? "",
        Category = p.Category ?? "",
        UnitOfMeasure = p.UnitOfMeasure,
        StandardCost = (double)p.StandardCost,
        Status = CatalogApi.Lower(p.Status),
        CreatedAt = Timestamp.FromDateTimeOffset(p.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(p.UpdatedAt),
        BufferProfileId = p.BufferProfileId?.ToString() ?? "",
        OrderCycleDays = p.OrderCycleDays,
        UnitPrecision = p.UnitPrecision,
    };

    private static SupplierMessage Message(Suppliers.Supplier s) => new()
    {
        Id = s.Id.ToString(),
        OrganizationId = s.OrganizationId.ToString(),
        Code = s.Code,
        Name = s.Name,
        ContactName = s.ContactName ?? "",
        ContactEmail = s.ContactEmail ?? "",
        ContactPhone = s.ContactPhone ?? "",
        DefaultLeadTime = s.DefaultLeadTimeDays,
        Status = CatalogApi.Lower(s.Status),
        CreatedAt = Timestamp.FromDateTimeOffset(s.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(s.UpdatedAt),
    };

    private static BufferProfileMessage Message(BufferProfiles.BufferProfile b)
    {
        var message = BaseMessage(b);
        if (b.SpikeHorizonDays is { } days)
        {
            message.SpikeHorizonDays = days;
        }

        return message;
    }

    private static BufferProfileMessage BaseMessage(BufferProfiles.BufferProfile b) => new()
    {
        Id = b.Id.ToString(),
        OrganizationId = b.OrganizationId.ToString(),
        Name = b.Name,
        AduMethod = CatalogApi.Lower(b.AduMethod),
        LeadTimeFactor = (double)b.LeadTimeFactor,
        VariabilityFactor = (double)b.VariabilityFactor,
        AduHorizonDays = b.AduHorizonDays,
        AduForwardHorizonDays = b.AduForwardHorizonDays,
        AduAlpha = (double)b.AduAlpha,
        AduPastWeight = (double)b.AduPastWeight,
        AduForwardWeight = (double)b.AduForwardWeight,
        SpikeThresholdPercent = (double)b.SpikeThresholdPercent,
        Status = CatalogApi.Lower(b.Status),
        CreatedAt = Timestamp.FromDateTimeOffset(b.CreatedAt),
        UpdatedAt = Timestamp.FromDateTimeOffset(b.UpdatedAt),
    };
}
