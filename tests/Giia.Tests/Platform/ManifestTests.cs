using System.Diagnostics;
using System.Text.Json.Nodes;

using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>The committed aspire-manifest.json is what the AppHost publishes now: CI deploys from it.</summary>
public sealed class ManifestTests
{
    [Fact]
    public async Task Committed_manifest_matches_a_fresh_publish()
    {
        // The generated metadata names the AppHost's folder (other projects' metadata names the .csproj).
        var appHostProject = Projects.Giia_AppHost.ProjectPath;
        var appHostDirectory = Directory.Exists(appHostProject) ? appHostProject : Path.GetDirectoryName(appHostProject)!;
        var repositoryRoot = Path.GetFullPath(Path.Combine(appHostDirectory, "..", ".."));
        var fresh = Path.Combine(Path.GetTempPath(), $"giia-manifest-{Guid.NewGuid():N}", "aspire-manifest.json");

        var start = new ProcessStartInfo("dotnet",
            ["run", "--project", appHostProject, "--no-build", "-c", BuildConfiguration.Name, "--no-launch-profile", "--", "--publisher", "manifest", "--output-path", fresh])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var output = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, output);

        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(repositoryRoot, "aspire-manifest.json")));
        var published = JsonNode.Parse(await File.ReadAllTextAsync(fresh));
        // Project paths are relative to the manifest's folder; the committed copy lives at the repository root.
        Assert.True(JsonNode.DeepEquals(committed, Rebase(published, Path.GetDirectoryName(fresh)!, repositoryRoot)),
            "aspire-manifest.json is stale: run scripts/publish-manifest.sh and commit the result.");
    }

    private static JsonNode? Rebase(JsonNode? manifest, string from, string to)
    {
        foreach (var (_, resource) in manifest!["resources"]!.AsObject())
        {
            if (resource?["path"] is JsonValue path)
            {
                var absolute = Path.GetFullPath(Path.Combine(from, path.GetValue<string>()));
                resource["path"] = Path.GetRelativePath(to, absolute);
            }
        }

        return manifest;
    }
}
