using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Giia.HttpApi.OpenApi;

/// <summary>
/// Endpoint metadata for what typed results cannot say: the problems a <c>ProblemHttpResult</c> may carry, and the
/// ETag / If-Match contract. The OpenAPI transformers read it; nothing else does.
/// </summary>
public static class ApiMetadata
{
    /// <summary>Documents each status as a problem+json answer of the endpoint.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
        foreach (var status in statusCodes)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>The endpoint's success answers carry the resource's <c>ETag</c>.</summary>
    public static TBuilder ProducesETag<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ETagMetadata(RequiresIfMatch: false));

    /// <summary>
    /// The endpoint changes a versioned resource: it needs <c>If-Match</c> (428 without it, 412 when stale) and
    /// answers with the new <c>ETag</c>.
    /// </summary>
    public static TBuilder RequiresIfMatch<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ETagMetadata(RequiresIfMatch: true))
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, StatusCodes.Status428PreconditionRequired);
}

/// <summary>Marks an endpoint whose answers carry an ETag, and whether it needs If-Match.</summary>
public sealed record ETagMetadata(bool RequiresIfMatch);
