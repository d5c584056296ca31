using System.Globalization;

using Grpc.Core;
using Grpc.Core.Interceptors;

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Npgsql;

namespace Giia.ServiceDefaults;

/// <summary>What every service answers when its database is away: 503 with Retry-After (REST), UNAVAILABLE (gRPC).</summary>
public static class DatabaseOutage
{
    public const string Title = "Database unavailable";
    public const string Detail = "The service cannot reach its database right now; retry shortly.";

    /// <summary>True for failures that mean "the database is not reachable", not "the request was wrong".</summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RetryLimitExceededException or NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Maps a database outage that reached the top of a REST request to 503 problem+json with <c>Retry-After</c>.</summary>
public sealed partial class DatabaseOutageExceptionHandler(IProblemDetailsService problems, IOptions<DatabaseOptions> options,
    ILogger<DatabaseOutageExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!DatabaseOutage.IsOutage(exception))
        {
            return false;
        }

        LogOutage(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter =
            ((int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = DatabaseOutage.Title,
                Detail = DatabaseOutage.Detail,
            },
            Exception = exception,
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the database did not answer within the request budget ({Reason}); answered 503")]
    private static partial void LogOutage(ILogger logger, string method, string path, string reason);
}

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
