using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

using Aspire.Hosting.Testing;

using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Grpc.Core;
using Grpc.Net.Client;

namespace Giia.Benchmarks;

/// <summary>
/// How long after a logout returns Catalog still accepts the session's access token: REST GET /api/products and gRPC
/// ListProducts are polled back to back from the moment the logout answered until each refuses (401 / UNAUTHENTICATED).
/// Catalog holds an allowed decision for the token (it answered it just before), so only Auth's invalidation notice,
/// or with NATS stopped the 1 s fallback cache, can end it. Two Auth instances run, as in the tests.
/// </summary>
public static class RevocationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArguments(args);
        var revocations = options.Number("revocations", 200);
        var cut = options.Number("cut-revocations", 50);
        var fixture = new GiiaAppFixture();
        await fixture.InitializeAsync();
        try
        {
            using var auth = new AuthApi(fixture);
            var (account, _) = await auth.RegisterVerifiedAsync();
            using var http = new HttpClient { BaseAddress = fixture.App.GetEndpoint("catalog", "http") };
            using var channel = GrpcChannel.ForAddress(fixture.App.GetEndpoint("catalog", "grpc"));
            var grpc = new CatalogService.CatalogServiceClient(channel);

            await WaitForNoticesAsync(fixture, "Healthy");
            var (pushedRest, pushedGrpc) = await MeasureAsync(auth, account, http, grpc, revocations, "notices on");

            await fixture.StopResourceAsync("nats");
            await WaitForNoticesAsync(fixture, "Degraded");
            var (cutRest, cutGrpc) = await MeasureAsync(auth, account, http, grpc, cut, "NATS stopped");
            await fixture.StartResourceAsync("nats");

            Console.WriteLine();
            Console.WriteLine("| revocation reaches Catalog | p50 (ms) | p99 (ms) | max (ms) | revocations |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var report in new[] { pushedRest, pushedGrpc, cutRest, cutGrpc })
            {
                Console.WriteLine($"| {report.Name} | {report.PercentileMs(50):0.0} | {report.PercentileMs(99):0.0} | {report.PercentileMs(100):0.0} | {report.Count} |");
            }

            return 0;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task<(LatencyReport OverRest, LatencyReport OverGrpc)> MeasureAsync(AuthApi auth, AuthApi.Account account, HttpClient http,
        CatalogService.CatalogServiceClient grpc, int count, string mode)
    {
        var rest = new LatencyReport($"REST, {mode}");
        var rpc = new LatencyReport($"gRPC, {mode}");
        for (var i = 0; i < count; i++)
        {
            var tokens = await auth.LoginAsync(account.Email, account.Password);
            // Catalog answers (and remembers) the token on both protocols first.
            if (await RestStatusAsync(http, tokens.AccessToken) != HttpStatusCode.OK || await GrpcStatusAsync(grpc, tokens.AccessToken) != StatusCode.OK)
            {
                throw new InvalidOperationException("Catalog refused a live session's token");
            }

            using (var logout = await auth.PostAsync("/api/auth/logout", new { refreshToken = tokens.RefreshToken }))
            {
                logout.EnsureSuccessStatusCode();
            }

            var ended = Stopwatch.StartNew();
            await Task.WhenAll(
                PollAsync(rest, ended, async () => await RestStatusAsync(http, tokens.AccessToken) == HttpStatusCode.Unauthorized),
                PollAsync(rpc, ended, async () => await GrpcStatusAsync(grpc, tokens.AccessToken) == StatusCode.Unauthenticated));
            if ((i + 1) % 50 == 0)
            {
                Console.WriteLine($"{mode}: {i + 1} revocations, REST p99 {rest.PercentileMs(99):0.0} ms, gRPC p99 {rpc.PercentileMs(99):0.0} ms");
            }
        }

        return (rest, rpc);
    }

    private static async Task PollAsync(LatencyReport report, Stopwatch since, Func<Task<bool>> refused)
    {
        while (!await refused())
        {
            if (since.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"{report.Name}: the token was still accepted 10 s after logout");
            }
        }

        report.Record(since.Elapsed);
    }

    private static async Task<HttpStatusCode> RestStatusAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/products?pageSize=1", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<StatusCode> GrpcStatusAsync(CatalogService.CatalogServiceClient grpc, string token)
    {
        try
        {
            await grpc.ListProductsAsync(new ListProductsRequest { PageSize = 1 }, AuthApi.Bearer(token));
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private static async Task WaitForNoticesAsync(GiiaAppFixture fixture, string status)
    {
        using var catalog = fixture.CreateHttpClient("catalog");
        await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(catalog),
            r => ServiceProbes.Check(r.Body, "auth-notices").GetProperty("status").GetString() == status, TimeSpan.FromSeconds(60),
            $"Catalog's auth-notices to be {status}");
    }
}
