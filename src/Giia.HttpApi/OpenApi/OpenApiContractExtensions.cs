using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Giia.HttpApi.OpenApi;

internal static class OpenApiContractExtensions
{
    /// <summary>
    /// The service's OpenAPI document (<c>/openapi/v1.json</c> in development, committed under docs/api/openapi), with
    /// the transformers every GIIA service shares: the contract's frame, security and problems from endpoint
    /// metadata, schemas true to the validation.
    /// </summary>
    internal static TBuilder AddOpenApiContract<TBuilder>(this TBuilder builder, ApiContract contract) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(contract);
        builder.Services.AddSingleton(contract);
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(new ContractDocumentTransformer(contract));
            options.AddOperationTransformer(new ContractOperationTransformer());
            options.AddSchemaTransformer(new ContractSchemaTransformer());
        });
        return builder;
    }
}
