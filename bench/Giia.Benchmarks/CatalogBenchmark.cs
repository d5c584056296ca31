using System.Net.Http.Headers;

using Aspire.Hosting;
using Aspire.Hosting.Testing;

using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Giia.Benchmarks;

/// <summary>
/// The Catalog's read path with a valid token, beside bare endpoints of the same service: REST GET /api/products
/// (50 per page) against GET /health/live, and gRPC ListProducts (50) against grpc.health.v1 Check. Each call
/// validates the token locally (JWKS) and asks Auth's CheckPermission through the one-second decision cache.
/// </summary>
public static class CatalogBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArguments(args);
        var concurrency = options.Number("concurrency", 16);
        var duration = TimeSpan.FromSeconds(options.Number("seconds", 10));
        var fixture = new GiiaAppFixture();
        await fixture.InitializeAsync();
        try
        {
            await fixture.StopResourceAsync("auth-2");
            using var auth = new AuthApi(fixture);
            using var catalog = new CatalogApi(fixture);
            var (_, tokens) = await auth.RegisterVerifiedAsync();
            var token = tokens.AccessToken;
            Console.WriteLine("creating 200 products...");
            for (var i = 0; i < 200; i++)
            {
                await CatalogApi.NewProductAsync(catalog, token, $"BENCH-{i:D4}");
            }

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
            {
                BaseAddress = fixture.App.GetEndpoint("catalog", "http"),
            };
            using var channel = GrpcChannel.ForAddress(fixture.App.GetEndpoint("catalog", "grpc"), new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            });
            var grpc = new CatalogService.CatalogServiceClient(channel);
            var health = new Health.HealthClient(channel);
            var headers = AuthApi.Bearer(token);
            var list = new ListProductsRequest { PageSize = 50 };

            async Task<bool> RestListAsync()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/products?pageSize=50", UriKind.Relative));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                return true;
            }

            async Task<bool> RestFloorAsync()
            {
                using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
                response.EnsureSuccessStatusCode();
                return true;
            }

            await LoadRunner.ClosedLoopAsync("warm-up", concurrency, TimeSpan.FromSeconds(3), async _ =>
            {
                await RestListAsync();
                await grpc.ListProductsAsync(list, headers);
                return true;
            });
            var results = new[]
            {
                await LoadRunner.ClosedLoopAsync("REST GET /health/live (floor)", concurrency, duration, _ => RestFloorAsync()),
                await LoadRunner.ClosedLoopAsync("REST GET /api/products?pageSize=50", concurrency, duration, _ => RestListAsync()),
                await LoadRunner.ClosedLoopAsync("gRPC grpc.health.v1 Check (floor)", concurrency, duration, async _ =>
                {
                    await health.CheckAsync(new HealthCheckRequest());
                    return true;
                }),
                await LoadRunner.ClosedLoopAsync("gRPC ListProducts (page_size 50)", concurrency, duration, async _ =>
                {
                    var response = await grpc.ListProductsAsync(list, headers);
                    return response.Products.Count == 50 ? true : throw new InvalidOperationException("a short page");
                }),
            };

            Console.WriteLine();
            Console.WriteLine($"Catalog on loopback, {concurrency} concurrent callers, {duration.TotalSeconds:0} s each, {Environment.ProcessorCount} cores shared by client and server");
            Console.WriteLine();
            Console.WriteLine("| measurement | throughput (/s) | p50 (ms) | p95 (ms) | p99 (ms) | samples | errors |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var result in results)
            {
                Console.WriteLine($"| {result.Latency.Name} | {result.Throughput:N0} | {result.Latency.PercentileMs(50):0.00} | {result.Latency.PercentileMs(95):0.00} | " +
                    $"{result.Latency.PercentileMs(99):0.00} | {result.Latency.Count:N0} | {result.Errors:N0} |");
            }

            return 0;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
