using System.Net;
using System.Text.Json;


using Giia.Tests.Infrastructure;


namespace Giia.Tests.Platform;

/// <summary>
/// Stops a real dependency through the AppHost's resource commands and watches readiness follow it down and back up,
/// without restarting the services. (Redis, used by Auth alone, is stopped once, by the permission-cache test, which
/// checks the same readiness, liveness and recovery along with the answers.)
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class DependencyFaultTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Nats_down_turns_every_service_readiness_503_with_nats_named_and_back()
    {
        await AssertReadinessFollowsAsync("nats", GiiaAppFixture.Services);
    }

    private async Task AssertReadinessFollowsAsync(string dependency, string[] services)
    {
        var clients = services.ToDictionary(s => s, fixture.CreateHttpClient);
        try
        {
            await fixture.StopResourceAsync(dependency);

            foreach (var (service, client) in clients)
            {
                var (status, body) = await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(client),
                    r => r.Status == HttpStatusCode.ServiceUnavailable, Patience, $"{service} readiness to drop with {dependency} stopped");
                Assert.Equal("Unhealthy", CheckStatus(body, dependency));

                using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }
        }
        finally
        {
            await fixture.StartResourceAsync(dependency);
        }

        foreach (var (service, client) in clients)
        {
            var (_, body) = await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(client),
                r => r.Status == HttpStatusCode.OK, Patience, $"{service} readiness to recover after {dependency} restarted");
            Assert.Equal("Healthy", CheckStatus(body, dependency));
            client.Dispose();
        }
    }

    private static string? CheckStatus(JsonElement body, string check) => ServiceProbes.Check(body, check).GetProperty("status").GetString();
}
