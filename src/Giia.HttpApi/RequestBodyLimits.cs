using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;

namespace Giia.HttpApi;

/// <summary>
/// Per-endpoint request body limits. Routing applies the limit when it matches the endpoint, before authentication
/// and authorization run and long before the body is read, so a body larger than the endpoint accepts is refused
/// with 413 after at most that many bytes, and an unauthorized caller's body is never read at all.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>What a JSON command of a few fields needs (names, codes, descriptions, a short list).</summary>
    public const long SmallJson = 16 * 1024;

    /// <summary>Bodies are refused on endpoints that take none.</summary>
    public const long None = 0;

    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long maxBytes) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        return builder.WithMetadata(new BodyLimit(maxBytes));
    }

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
