using System.Security.Cryptography;
using System.Text;

using Giia.DlqWorker.Retry;

using Microsoft.Extensions.Options;

namespace Giia.DlqWorker.Api;

/// <summary>
/// Admits dead-letter API calls that present the operator key as a bearer token (compared in constant time).
/// Dead letters carry other tenants' event payloads, so only operators may read or act on them.
/// </summary>
public sealed class OperatorKeyFilter(IOptions<DlqOptions> options) : IEndpointFilter
{
    private readonly byte[] expected = Encoding.UTF8.GetBytes(options.Value.OperatorApiKey);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var presented = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()) : [];
        if (presented.Length == 0 || !CryptographicOperations.FixedTimeEquals(presented, expected))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "The dead-letter API needs the operator key as a bearer token.");
        }

        return await next(context);
    }
}
