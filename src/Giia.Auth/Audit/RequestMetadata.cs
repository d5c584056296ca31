using System.Diagnostics;

namespace Giia.Auth.Audit;

/// <summary>Who is calling and from where, read from HTTP headers or gRPC metadata.</summary>
public sealed record RequestMetadata(string? IpAddress, string? UserAgent, string? RequestId)
{
    public static RequestMetadata From(HttpContext? context)
    {
        if (context is null)
        {
            return new RequestMetadata(null, null, Activity.Current?.TraceId.ToString());
        }

        var headers = context.Request.Headers;
        var requestId = headers["x-request-id"].FirstOrDefault() ?? Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        // The client address as the forwarded-headers middleware resolved it from trusted proxies; a raw
        // X-Forwarded-For header is the client's own word and would let it dodge lockouts.
        var ip = context.Connection.RemoteIpAddress?.ToString();
        return new RequestMetadata(Cut(ip, 45), Cut(headers.UserAgent.FirstOrDefault(), 500), Cut(requestId, 100));
    }

    private static string? Cut(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
