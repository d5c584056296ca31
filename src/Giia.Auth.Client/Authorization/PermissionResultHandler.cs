using System.Text;

using Grpc.Core;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Giia.Auth.Client;

/// <summary>
/// Turns a refused authorization into the answer the caller's protocol expects: RFC 9457 problem+json for REST (401
/// with the bearer challenge, 403 with the reason, 503 when Auth could not answer) and a gRPC status with its message
/// (Unauthenticated, PermissionDenied, Unavailable). Nothing of the request body has been read at this point.
/// </summary>
internal sealed class PermissionResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded)
        {
            await standard.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<PermissionFailureReason>().FirstOrDefault();
        var kind = authorizeResult.Challenged ? PermissionFailure.Unauthenticated : reason?.Kind ?? PermissionFailure.Denied;
        var message = kind == PermissionFailure.Unauthenticated
            ? "A valid bearer token is required."
            : reason?.Message ?? authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "You may not do this.";

        if (IsGrpc(context.Request))
        {
            WriteGrpcStatus(context.Response, kind switch
            {
                PermissionFailure.Unauthenticated => StatusCode.Unauthenticated,
                PermissionFailure.Unavailable => StatusCode.Unavailable,
                _ => StatusCode.PermissionDenied,
            }, message);
            return;
        }

        switch (kind)
        {
            case PermissionFailure.Unauthenticated:
                // The scheme's challenge (401 with WWW-Authenticate: Bearer); the problem body comes from status code pages.
                await standard.HandleAsync(next, context, policy, PolicyAuthorizationResult.Challenge());
                break;
            case PermissionFailure.Unavailable:
                context.Response.Headers.RetryAfter = "5"; // like a database outage: a short wait, then the client tries again
                await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Authorization unavailable", detail: message)
                    .ExecuteAsync(context);
                break;
            default:
                await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: message).ExecuteAsync(context);
                break;
        }
    }

    internal static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>A trailers-only gRPC response: HTTP 200 whose headers carry the status (gRPC over HTTP/2).</summary>
    private static void WriteGrpcStatus(HttpResponse response, StatusCode status, string message)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
    }

    /// <summary>grpc-message is percent-encoded UTF-8 outside printable ASCII (and '%' itself).</summary>
    private static string PercentEncode(string message)
    {
        var builder = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
