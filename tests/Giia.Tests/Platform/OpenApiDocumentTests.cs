using System.Text.Json.Nodes;

using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>
/// The OpenAPI documents under docs/api/openapi are what the running services produce from their code. Refresh them
/// with <c>GIIA_UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests</c> and commit the result.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class OpenApiDocumentTests(GiiaAppFixture fixture)
{
    [Theory]
    [InlineData("auth")]
    [InlineData("catalog")]
    [InlineData("dlq-worker")]
    public async Task Committed_openapi_document_matches_the_service(string service)
    {
        using var http = fixture.CreateHttpClient(service);
        var live = JsonNode.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        // The server URL is the test run's random port, not part of the contract.
        live.AsObject().Remove("servers");
        var file = Path.Combine(RepositoryPaths.Root(), "docs", "api", "openapi", $"{service}.json");

        if (Environment.GetEnvironmentVariable("GIIA_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(file, live.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.True(File.Exists(file), $"{file} is missing: run GIIA_UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(file));
        Assert.True(JsonNode.DeepEquals(committed, live),
            $"docs/api/openapi/{service}.json is stale: run GIIA_UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests and commit it.");
    }
}
