using System.Net;
using System.Text.Json;

using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

using Grpc.Core;

namespace Giia.Tests.Platform;

/// <summary>
/// With PostgreSQL stopped, every service answers quickly and clearly: readiness 503 naming postgres, requests that
/// need the database 503 problem+json with Retry-After (gRPC UNAVAILABLE) inside the request budget, never a 500
/// or a minute-long hang; and everything recovers by itself when PostgreSQL is back.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class DatabaseOutageTests(GiiaAppFixture fixture)
{
    /// <summary>Well above the 5 s budget plus a health-check run, far below the 57 s the retries used to take.</summary>
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task With_postgres_stopped_readiness_is_503_and_requests_are_503_with_retry_after_then_everything_recovers()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var (account, _) = await auth.RegisterVerifiedAsync();
        var productId = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "OUTAGE-1")).GetProperty("id").GetGuid();
        var probes = GiiaAppFixture.Services.ToDictionary(s => s, s =>
        {
            var client = fixture.CreateHttpClient(s);
            client.Timeout = Answer; // a hang fails the test
            return client;
        });
        using var bounded = fixture.CreateHttpClient("auth");
        bounded.Timeout = Answer;
        using var boundedCatalog = fixture.CreateHttpClient("catalog");
        boundedCatalog.Timeout = Answer;
        try
        {
            await fixture.StopResourceAsync("postgres");

            foreach (var (service, client) in probes)
            {
                var (status, body) = await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(client),
                    r => r.Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), $"{service} readiness to drop with postgres stopped");
                Assert.Equal("Unhealthy", ServiceProbes.Check(body, "postgres").GetProperty("status").GetString());
                using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            using (var login = await bounded.PostAsync(new Uri("/api/auth/login", UriKind.Relative),
                JsonContent(new { email = account.Email, password = account.Password })))
            {
                await AssertOutageAsync(login);
            }

            using (var read = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/products/{productId}", UriKind.Relative)))
            {
                read.Headers.Authorization = new("Bearer", tenant.AdminToken);
                using var response = await boundedCatalog.SendAsync(read);
                await AssertOutageAsync(response);
            }

            var grpc = await Assert.ThrowsAsync<RpcException>(() => catalog.Grpc.GetProductAsync(new GetProductRequest { Id = productId.ToString() },
                AuthApi.Bearer(tenant.AdminToken), deadline: DateTime.UtcNow.Add(Answer)).ResponseAsync);
            Assert.Equal(StatusCode.Unavailable, grpc.StatusCode);
        }
        finally
        {
            await fixture.StartResourceAsync("postgres");
        }

        foreach (var (service, client) in probes)
        {
            await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(client), r => r.Status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), $"{service} readiness to recover once postgres is back");
            client.Dispose();
        }

        await auth.LoginAsync(account.Email, account.Password);
        Assert.Equal(HttpStatusCode.OK, (await catalog.GetAsync($"/api/products/{productId}", tenant.AdminToken)).Status);
    }

    /// <summary>
    /// Npgsql hands out pooled connections without checking them, so after a restart the pool holds dead connections
    /// from before it: the requests right after PostgreSQL returns must still succeed (the retries inside the request
    /// budget get past them), not answer 503 until the pool has run dry.
    /// </summary>
    [Fact]
    public async Task After_postgres_restarts_the_requests_succeed_although_the_pool_held_dead_connections()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var productId = (await CatalogApi.NewProductAsync(catalog, tenant.AdminToken, "RESTART-1")).GetProperty("id").GetGuid();
        // Many reads at once leave many idle connections in Catalog's pool.
        await ConcurrencyTests.AllAtOnceAsync(64, () => catalog.SendAsync(HttpMethod.Get, $"/api/products?search=RESTART&pageSize=100", tenant.AdminToken));

        await fixture.StopResourceAsync("postgres");
        await fixture.StartResourceAsync("postgres");

        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        for (var round = 0; round < 3; round++)
        {
            await ConcurrencyTests.AllAtOnceAsync(8, async () =>
            {
                var response = await catalog.SendAsync(HttpMethod.Get, $"/api/products/{productId}", tenant.AdminToken);
                answers.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return response;
            });
        }

        var failures = answers.Where(a => !a.StartsWith("200", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task AssertOutageAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"expected 503, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(503, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
