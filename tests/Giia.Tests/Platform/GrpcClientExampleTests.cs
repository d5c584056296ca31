using System.Diagnostics;

using Aspire.Hosting;

using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>The example programs under examples/grpc-clients, as built with the solution, run against the test system as the demo admin.</summary>
[Collection(GiiaSystem.Name)]
public sealed class GrpcClientExampleTests(GiiaAppFixture fixture)
{
    [Theory]
    [InlineData("auth-client", new[] { "ValidateToken: user", "CheckPermission catalog:write: allowed", "BatchCheckPermissions audit:read: allowed", "GetUser: Demo Admin" })]
    [InlineData("catalog-client", new[] { "ListProducts: 36 products", "GetProduct ", "GetBufferProfile: ", "SearchProducts 'bolt': 6 found", "ListSuppliers: ACME (14 d)" })]
    public async Task Example_client_runs_against_the_system(string example, string[] expectedLines)
    {
        var dll = Path.Combine(RepositoryPaths.Root(), "examples", "grpc-clients", example, "bin", BuildConfiguration.Name, "net10.0", $"{example}.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the examples are built with Giia.sln");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["GIIA_AUTH_HTTP"] = fixture.App.GetEndpoint("auth", "http").ToString(),
                ["GIIA_AUTH_GRPC"] = fixture.App.GetEndpoint("auth", "grpc").ToString(),
                ["GIIA_CATALOG_GRPC"] = fixture.App.GetEndpoint("catalog", "grpc").ToString(),
                ["GIIA_EMAIL"] = "admin@demo.giia.local",
                ["GIIA_PASSWORD"] = await fixture.ParameterAsync("demo-password"),
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var text = await output;
        Assert.True(process.ExitCode == 0, $"{example} exited {process.ExitCode}: {await error}\n{text}");
        foreach (var line in expectedLines)
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }
    }
}
