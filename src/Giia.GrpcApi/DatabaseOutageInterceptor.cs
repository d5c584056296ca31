using Giia.Data;

using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Giia.GrpcApi;

/// <summary>Maps a database outage inside a gRPC call to <c>UNAVAILABLE</c> (clients retry it), never <c>UNKNOWN</c>.</summary>
public sealed class DatabaseOutageInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException && DatabaseOutage.IsOutage(ex))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, DatabaseOutage.Detail));
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException && DatabaseOutage.IsOutage(ex))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, DatabaseOutage.Detail));
        }
    }
}
