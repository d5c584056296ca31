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
    [InlineData("ddmrp")]
    public async Task Committed_openapi_document_matches_the_service(string service)
    {
        using var http = fixture.CreateHttpClient(service);
        var live = JsonNode.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var file = Path.Combine(RepositoryPaths.Root(), "docs", "api", "openapi", $"{service}.json");
        var yamlFile = Path.ChangeExtension(file, ".yaml");
        var json = live.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        // The same document as YAML, for readers and tools that prefer it (JSON is YAML: read as such, written as block YAML).
        var yaml = new YamlDotNet.Serialization.SerializerBuilder().Build()
            .Serialize(new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize(new StringReader(json)));

        if (Environment.GetEnvironmentVariable("GIIA_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(file, json + "\n");
            await File.WriteAllTextAsync(yamlFile, yaml);
        }

        Assert.True(File.Exists(yamlFile), $"{yamlFile} is missing: run GIIA_UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests");
        Assert.True(await File.ReadAllTextAsync(yamlFile) == yaml,
            $"docs/api/openapi/{service}.yaml is stale: run GIIA_UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests and commit it.");

        Assert.True(File.Exists(file), $"{file} is missing: run GIIA_UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(file));
        Assert.True(JsonNode.DeepEquals(committed, live),
            $"docs/api/openapi/{service}.json is stale: run GIIA_UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests and commit it.");

        using var reference = await http.GetAsync(new Uri("/scalar/v1", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
    }
}
