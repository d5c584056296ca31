using System.Net;
using System.Text.Json;

using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>
/// Stops a real dependency through the AppHost's resource commands and watches readiness follow it down and back up,
/// without restarting the services. A shared dependency the services ride out (NATS: the outbox keeps events) is
/// Degraded and leaves them ready (HTTP 200), so Kubernetes keeps routing to them; the answers stay correct meanwhile.
/// (Redis, used by Auth alone, is stopped once, by the permission-cache test, which checks the same for Redis.)
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class DependencyFaultTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Nats_down_leaves_every_service_ready_and_degraded_with_nats_named_and_back()
    {
        var clients = GiiaAppFixture.Services.ToDictionary(s => s, fixture.CreateHttpClient);
        try
        {
            await fixture.StopResourceAsync("nats");

            foreach (var (service, client) in clients)
            {
                var (status, body) = await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(client),
                    r => CheckStatus(r.Body, "nats") == "Degraded", Patience, $"{service} readiness to report NATS degraded");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal("Degraded", body.GetProperty("status").GetString());
                Assert.False(string.IsNullOrEmpty(ServiceProbes.Check(body, "nats").GetProperty("description").GetString()));
                Assert.Equal("Healthy", CheckStatus(body, "postgres"));

                using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }
        }
        finally
        {
            await fixture.StartResourceAsync("nats");
        }

        foreach (var (service, client) in clients)
        {
            var (_, body) = await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(client),
                // Everything: NATS, and (catalog, dlq-worker, ddmrp) Auth's notices, which need Auth's heartbeats back too.
                r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("status").GetString() == "Healthy", Patience,
                $"{service} readiness to recover after NATS restarted");
            Assert.Equal("Healthy", body.GetProperty("status").GetString());
            client.Dispose();
        }
    }

    private static string? CheckStatus(JsonElement body, string check) => ServiceProbes.Check(body, check).GetProperty("status").GetString();
}
