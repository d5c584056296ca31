using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>A service with a missing or invalid setting refuses to start and names the key; no database is needed for that.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Missing_connection_string_stops_the_service_naming_the_setting()
    {
        await using var service = ServiceProcess.Start(new Projects.Giia_Catalog(), new Dictionary<string, string>
        {
            ["ConnectionStrings__nats"] = "nats://127.0.0.1:1",
            ["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
            ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
        });

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ConnectionStrings:catalogdb", service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_shutdown_timeout_stops_the_service_naming_the_setting()
    {
        await using var service = ServiceProcess.Start(new Projects.Giia_DlqWorker(), new Dictionary<string, string>
        {
            ["ConnectionStrings__dlqdb"] = "Host=127.0.0.1;Port=1;Database=dlqdb",
            ["ConnectionStrings__nats"] = "nats://127.0.0.1:1",
            ["Giia__Shutdown__Timeout"] = "00:00:00",
            ["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
        });

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Giia:Shutdown:Timeout", service.Output, StringComparison.Ordinal);
    }
}
