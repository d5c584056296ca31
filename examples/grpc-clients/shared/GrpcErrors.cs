using Grpc.Core;

namespace Giia.Examples;

/// <summary>What each gRPC status of a GIIA service means to its caller, and what the caller should do.</summary>
internal static class GrpcErrors
{
    public static string Describe(RpcException ex) => ex.StatusCode switch
    {
        StatusCode.Unauthenticated => $"Not signed in or token expired (sign in again): {ex.Status.Detail}",
        StatusCode.PermissionDenied => $"Not allowed (missing permission, or not your organization): {ex.Status.Detail}",
        StatusCode.InvalidArgument => $"Bad request (fix the field named): {ex.Status.Detail}",
        StatusCode.NotFound => $"Not found in your organization: {ex.Status.Detail}",
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => $"Service unavailable; retry later, and deny meanwhile: {ex.Status.Detail}",
        _ => $"gRPC error {ex.StatusCode}: {ex.Status.Detail}",
    };
}
