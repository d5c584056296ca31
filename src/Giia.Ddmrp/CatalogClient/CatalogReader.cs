using Giia.Catalog.Grpc.V1;

using Grpc.Core;

using Microsoft.Extensions.Options;

namespace Giia.Ddmrp.CatalogClient;

/// <summary>How a read of Catalog ended when it gave no buffer source.</summary>
internal enum CatalogFailure
{
    ProductNotFound,
    NoBufferProfile,
    ProfileNotFound,
    Forbidden,
    Unavailable,
}

/// <summary>
/// Reads a product and its buffer profile from Catalog's gRPC API with the caller's own bearer token, so Catalog
/// applies the caller's organization and permissions (catalog:read, buffers:read), never the service's.
/// </summary>
internal sealed partial class CatalogReader(CatalogService.CatalogServiceClient catalog, IOptions<CatalogClientOptions> options,
    ILogger<CatalogReader> logger)
{
    public async Task<(BufferSource? Source, CatalogFailure? Failure, string? Detail)> ReadAsync(Guid productId, string authorization,
        CancellationToken cancellationToken)
    {
        var headers = new Metadata { { "authorization", authorization } };
        var readingProfile = false;
        try
        {
            var product = (await catalog.GetProductAsync(new GetProductRequest { Id = productId.ToString() }, Call(headers, cancellationToken))).Product;
            if (!Guid.TryParse(product.BufferProfileId, out var profileId))
            {
                return (null, CatalogFailure.NoBufferProfile, null);
            }

            readingProfile = true;

            var profile = (await catalog.GetBufferProfileAsync(new GetBufferProfileRequest { Id = profileId.ToString() },
                Call(headers, cancellationToken))).BufferProfile;
            return (new BufferSource(product, profile), null, null);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            // The profile was deleted between the two reads, or the product is not the caller's organization's.
            return (null, readingProfile ? CatalogFailure.ProfileNotFound : CatalogFailure.ProductNotFound, ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            return (null, CatalogFailure.Forbidden, ex.Status.Detail);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            // Unavailable, a deadline, a broken connection, or anything else Catalog could not answer: an outage for the caller.
            LogCatalogFailed(logger, productId, ex.StatusCode, ex.Status.Detail);
            return (null, CatalogFailure.Unavailable, ex.Status.Detail);
        }
    }

    private CallOptions Call(Metadata headers, CancellationToken cancellationToken) =>
        new(headers, DateTime.UtcNow.Add(options.Value.CallTimeout), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog did not answer for product {ProductId}: {Status} {Detail}")]
    private static partial void LogCatalogFailed(ILogger logger, Guid productId, StatusCode status, string detail);
}
