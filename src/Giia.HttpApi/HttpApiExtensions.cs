using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Scalar.AspNetCore;

namespace Giia.HttpApi;

/// <summary>
/// The conventions every GIIA REST API follows: every answer that is not a success is RFC 9457 problem+json (binding
/// failures included), bodies are JSON, and the contract is one OpenAPI document served in development.
/// </summary>
public static class HttpApiExtensions
{
    /// <summary>Problem details, the 400 for binding failures, and the service's OpenAPI contract.</summary>
    public static TBuilder AddHttpApi<TBuilder>(this TBuilder builder, ApiContract contract) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // In development an unexpected error says what it was; elsewhere the problem stays generic.
            if (builder.Environment.IsDevelopment() && context.Exception is { } exception)
            {
                context.ProblemDetails.Detail = $"{exception.GetType().Name}: {exception.Message}";
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures reach the handler above in every environment, so clients see the same 400 everywhere.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder.AddOpenApiContract(contract);
    }

    /// <summary>
    /// The middleware of the conventions (415 for non-JSON bodies, exceptions and bare status codes as problem+json) and,
    /// in development, <c>/openapi/v1.json</c> with its interactive reference at <c>/scalar/v1</c>. Call it before
    /// authentication, so a refusal is a problem too.
    /// </summary>
    public static WebApplication UseHttpApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseJsonBodiesOnly();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Environment.IsDevelopment())
        {
            app.MapOpenApi(); // the same document is committed under docs/api/openapi (checked by a test)
            app.MapScalarApiReference();
        }

        return app;
    }
}
