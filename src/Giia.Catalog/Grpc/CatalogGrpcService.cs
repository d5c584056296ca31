using Giia.Auth.Client;
using Giia.Catalog.BufferProfiles;
using Giia.Catalog.Common;
using Giia.Catalog.Grpc.V1;
using Giia.Catalog.Products;
using Giia.Catalog.Suppliers;
using Giia.HttpApi;

using Grpc.Core;

namespace Giia.Catalog.Grpc;

/// <summary>
/// <c>catalog.v1.CatalogService</c>: reads for other services, over the same queries as REST. Each call needs the
/// caller's bearer token (validated against Auth's keys) and the permission declared on the method (asked of Auth
/// before the request is read); the organization is the token's, and another organization's ids answer NotFound.
/// </summary>
public sealed partial class CatalogGrpcService(ProductQueries products, SupplierQueries suppliers, BufferProfileQueries profiles,
    ILogger<CatalogGrpcService> logger)
    : CatalogService.CatalogServiceBase
{
    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<GetProductResponse> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var id = ParseId(request.Id, "id");
        var product = Answer(await products.GetWithSuppliersAsync(organizationId, id, context.CancellationToken));
        return new GetProductResponse { Product = CatalogMessages.Message(product) };
    }

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var page = new PageRequest(request.Page == 0 ? null : request.Page, request.PageSize == 0 ? null : request.PageSize);
        var filter = new ProductFilter(Blank(request.Status), null, null, WithSuppliers: true);
        var found = Answer(await products.ListAsync(organizationId, filter, page, context.CancellationToken));
        var response = new ListProductsResponse { Total = (int)found.Total, Page = found.PageNumber, PageSize = found.PageSize };
        response.Products.AddRange(found.Items.Select(CatalogMessages.Message));
        return response;
    }

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<SearchProductsResponse> SearchProducts(SearchProductsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var items = Answer(await products.SearchAsync(organizationId, request.Query, Blank(request.Category), context.CancellationToken));
        var response = new SearchProductsResponse();
        response.Products.AddRange(items.Select(CatalogMessages.Message));
        return response;
    }

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<GetSupplierResponse> GetSupplier(GetSupplierRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var id = ParseId(request.Id, "id");
        var supplier = Answer(await suppliers.GetAsync(organizationId, id, context.CancellationToken));
        return new GetSupplierResponse { Supplier = CatalogMessages.Message(supplier) };
    }

    [RequirePermission(Permissions.CatalogRead)]
    public override async Task<ListSuppliersResponse> ListSuppliers(ListSuppliersRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var page = UnpagedCapped(request.Page, request.PageSize);
        var found = Answer(await suppliers.ListAsync(organizationId, new StatusFilter(Blank(request.Status)), page, context.CancellationToken));
        var response = new ListSuppliersResponse { Total = (int)found.Total, Page = found.PageNumber, PageSize = found.PageSize };
        response.Suppliers.AddRange(found.Items.Select(CatalogMessages.Message));
        return response;
    }

    [RequirePermission(Permissions.BuffersRead)]
    public override async Task<GetBufferProfileResponse> GetBufferProfile(GetBufferProfileRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var id = ParseId(request.Id, "id");
        var profile = Answer(await profiles.GetAsync(organizationId, id, context.CancellationToken));
        return new GetBufferProfileResponse { BufferProfile = CatalogMessages.Message(profile) };
    }

    [RequirePermission(Permissions.BuffersRead)]
    public override async Task<ListBufferProfilesResponse> ListBufferProfiles(ListBufferProfilesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var organizationId = OrganizationOf(context, request.OrganizationId);
        var page = UnpagedCapped(request.Page, request.PageSize);
        var found = Answer(await profiles.ListAsync(organizationId, new StatusFilter(null), page, context.CancellationToken));
        var response = new ListBufferProfilesResponse { Total = (int)found.Total, Page = found.PageNumber, PageSize = found.PageSize };
        response.BufferProfiles.AddRange(found.Items.Select(CatalogMessages.Message));
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
    private Guid OrganizationOf(ServerCallContext context, string requestedOrganization)
    {
        var requested = Guid.Empty;
        if (requestedOrganization.Length > 0 && !Guid.TryParse(requestedOrganization, out requested))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "organization_id must be a UUID (or empty for the caller's own)"));
        }

        var organizationId = Claims.OrganizationOf(context.GetHttpContext().User)!.Value;
        if (requestedOrganization.Length > 0 && requested != organizationId)
        {
            // Said here, not left to gRPC's per-call error log (off in production): asking for another tenant is a probe.
            // The parsed id is logged, never the caller's text.
            LogOtherOrganization(logger, context.Method, Claims.UserIdOf(context.GetHttpContext().User), organizationId, requested);
            throw new RpcException(new Status(StatusCode.PermissionDenied, "organization_id is not the caller's organization"));
        }

        return organizationId;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} refused: user {UserId} of organization {OrganizationId} asked for organization {Requested}")]
    private static partial void LogOtherOrganization(ILogger logger, string method, Guid? userId, Guid organizationId, Guid requested);

    private static Guid ParseId(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} must be a UUID"));

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The operation's value, or its refusal as a gRPC status.</summary>
    private static T Answer<T>(CatalogOutcome<T> outcome) => outcome.Succeeded ? outcome.Value : throw Refused(outcome.Refusal);

    private static RpcException Refused(CatalogRefusal refusal) => refusal.Kind switch
    {
        RefusalKind.Invalid => new(new Status(StatusCode.InvalidArgument, string.Join(" ", refusal.Errors.SelectMany(e => e.Value)))),
        RefusalKind.NotFound => new(new Status(StatusCode.NotFound,
            $"no {refusal.Subject?.ToLowerInvariant()} {refusal.Id} in the caller's organization")),
        _ => new(new Status(StatusCode.FailedPrecondition, refusal.Detail)),
    };
}
