using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Giia.HttpApi;

/// <summary>
/// Every GIIA REST body is JSON. When routing finds no endpoint for a request that carries another media type, the
/// cause is the body: ASP.NET Core's routing answers 415 only where no other endpoint shares the path (a POST next to
/// a GET on one path falls through to 404), so this answers 415 problem+json in every such case.
/// </summary>
public static class JsonBodiesOnly
{
    public static WebApplication UseJsonBodiesOnly(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint() is null && context.Request.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status415UnsupportedMediaType,
                        Title = "Unsupported media type",
                        Detail = "Request bodies are application/json.",
                    },
                });
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool IsJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
