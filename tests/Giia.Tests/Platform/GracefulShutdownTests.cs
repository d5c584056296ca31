using System.Net;

using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>SIGTERM drains: a request in flight completes, new connections are refused, and the process exits 0.</summary>
[Collection(GiiaSystem.Name)]
public sealed class GracefulShutdownTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Request_in_flight_at_SIGTERM_completes_and_the_process_exits_zero()
    {
        var httpPort = GiiaAppFixture.FreePort();
        await using var service = ServiceProcess.Start(new Projects.Giia_Catalog(), new Dictionary<string, string>
        {
            ["ConnectionStrings__catalogdb"] = (await fixture.App.GetConnectionStringAsync("catalogdb"))!,
            ["ConnectionStrings__nats"] = (await fixture.App.GetConnectionStringAsync("nats"))!,
            ["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
            ["Giia__Diagnostics__DelayEndpoint"] = "true",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(60) };
        await Eventually.UntilAsync(async () => await TryGetStatusAsync(client, "/health/ready"),
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), $"catalog to be ready; output: {service.Output}");

        var slow = client.GetAsync(new Uri("/_diagnostics/delay?ms=4000", UriKind.Relative));
        await Task.Delay(TimeSpan.FromSeconds(1));
        service.Terminate();

        using var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("4000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(40)));
    }

    private static async Task<HttpStatusCode?> TryGetStatusAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
