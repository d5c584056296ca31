using System.Net;
using System.Net.Http.Json;

using Giia.Tests.Infrastructure;

namespace Giia.Tests.Auth;

/// <summary>The auth endpoints are rate-limited per client address (an Auth process of its own, with a limit of 3 a minute).</summary>
[Collection(GiiaSystem.Name)]
public sealed class RateLimitTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Requests_over_the_limit_get_429_problem_with_retry_after()
    {
        var httpPort = GiiaAppFixture.FreePort();
        await using var auth = ServiceProcess.Start(new Projects.Giia_Auth(), new Dictionary<string, string>
        {
            ["ConnectionStrings__authdb"] = await fixture.ConnectionStringAsync("authdb"),
            ["ConnectionStrings__redis"] = await fixture.ConnectionStringAsync("redis"),
            ["ConnectionStrings__nats"] = await fixture.ConnectionStringAsync("nats"),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Giia__Jwt__DevelopmentKeyFile"] = fixture.SigningKeyFile,
            ["Giia__RateLimiting__AuthRequestsPerMinute"] = "3",
            ["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{httpPort}",
            ["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{GiiaAppFixture.FreePort()}",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                return ready.StatusCode;
            }
            catch (HttpRequestException)
            {
                return (HttpStatusCode?)null;
            }
        }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), () => $"auth to be ready; output: {auth.Output}");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await http.PostAsJsonAsync(new Uri("/api/auth/forgot-password", UriKind.Relative), new { email = AuthApi.NewEmail("limit") });
            statuses.Add(last.StatusCode);
        }

        using (last)
        {
            Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
            Assert.Equal("application/problem+json", last!.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(last.Headers.RetryAfter);
        }

        // Health and other non-auth endpoints are not limited.
        using var health = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
