using Grpc.Core;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Giia.Auth.Client;

/// <summary>Admits a REST request only when Auth says the caller holds <c>permission</c>: 401, 403 or 503 (fail closed) otherwise.</summary>
public sealed class RequirePermissionFilter(string permission) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var client = http.RequestServices.GetRequiredService<PermissionClient>();
        try
        {
            return await client.CheckAsync(http.User, BearerToken(http.Request), permission, http.RequestAborted) switch
            {
                PermissionOutcome.Allowed => await next(context),
                PermissionOutcome.Denied => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                    detail: $"This needs the {permission} permission."),
                _ => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"),
            };
        }
        catch (AuthorizationUnavailableException ex)
        {
            http.Response.Headers.RetryAfter = "5"; // like a database outage: a short wait, then the client tries again
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Authorization unavailable",
                detail: $"{ex.Message} The request was refused; try again shortly.");
        }
    }

    /// <summary>The raw bearer token of the request, forwarded to Auth with the check.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }
}

public static class PermissionEndpointExtensions
{
    /// <summary>Requires an authenticated caller who holds <paramref name="permission"/> (asked of Auth).</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization().AddEndpointFilter(new RequirePermissionFilter(permission));

    /// <summary>
    /// The gRPC side: returns when the caller holds <paramref name="permission"/>; otherwise throws Unauthenticated,
    /// PermissionDenied or (when Auth cannot answer) Unavailable.
    /// </summary>
    public static async Task RequirePermissionAsync(this ServerCallContext context, string permission)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var client = http.RequestServices.GetRequiredService<PermissionClient>();
        PermissionOutcome outcome;
        try
        {
            outcome = await client.CheckAsync(http.User, RequirePermissionFilter.BearerToken(http.Request), permission, context.CancellationToken);
        }
        catch (AuthorizationUnavailableException ex)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }

        switch (outcome)
        {
            case PermissionOutcome.Allowed:
                return;
            case PermissionOutcome.Denied:
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"this needs the {permission} permission"));
            default:
                throw new RpcException(new Status(StatusCode.Unauthenticated, "a valid bearer token is required in the authorization metadata"));
        }
    }
}
