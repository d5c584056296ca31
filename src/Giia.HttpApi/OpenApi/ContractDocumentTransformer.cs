using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Giia.HttpApi.OpenApi;

/// <summary>The document's frame: info with license, the local and deployment servers, described tags, the bearer scheme.</summary>
internal sealed class ContractDocumentTransformer(ApiContract contract) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = contract.Title,
            Version = ApiContract.Version,
            Description = contract.Description,
            License = new OpenApiLicense { Name = ApiContract.LicenseName, Url = new Uri("https://giia.example/terms") },
        };
        document.Servers =
        [
            new OpenApiServer { Url = contract.LocalUrl.ToString().TrimEnd('/'), Description = "A local run (./run.sh)." },
            new OpenApiServer
            {
                Url = $"https://{contract.DeploymentHost}.{{domain}}",
                Description = "A deployment; replace the domain with the environment's.",
                Variables = new Dictionary<string, OpenApiServerVariable>
                {
                    ["domain"] = new() { Default = "giia.example", Description = "The deployment's DNS domain." },
                },
            },
        ];

        var used = document.Tags?.Select(t => t.Name).OfType<string>().ToHashSet() ?? [];
        var undescribed = used.Where(name => !contract.Tags.ContainsKey(name)).ToList();
        if (undescribed.Count > 0)
        {
            throw new InvalidOperationException($"OpenAPI tags without a description in the ApiContract: {string.Join(", ", undescribed)}");
        }

        document.Tags = new HashSet<OpenApiTag>(contract.Tags.Where(t => used.Contains(t.Key))
            .Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        OpenApiComponentsExtensions.AddBearerScheme(document);
        return Task.CompletedTask;
    }
}
