using System.Net;
using System.Text.Json;

using Giia.Tests.Infrastructure;

using Grpc.Health.V1;

namespace Giia.Tests.Platform;

[Collection(GiiaSystem.Name)]
public sealed class HealthTests(GiiaAppFixture fixture)
{
    public static TheoryData<string, string[]> ServiceDependencies => new()
    {
        { "auth", ["postgres", "schema", "redis", "nats", "streams", "audit"] },
        { "auth-2", ["postgres", "schema", "redis", "nats", "streams", "audit"] },
        { "catalog", ["postgres", "schema", "nats", "streams", "auth-notices"] },
        { "dlq-worker", ["postgres", "schema", "nats", "streams", "auth-notices"] },
        { "ddmrp", ["postgres", "schema", "nats", "streams", "auth-notices"] },
    };

    [Theory]
    [InlineData("auth")]
    [InlineData("catalog")]
    [InlineData("dlq-worker")]
    [InlineData("ddmrp")]
    public async Task Liveness_answers_alive(string service)
    {
        using var client = fixture.CreateHttpClient(service);

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("alive", body.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(ServiceDependencies))]
    public async Task Readiness_reports_each_dependency_of_the_service(string service, string[] dependencies)
    {
        using var client = fixture.CreateHttpClient(service);

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal(dependencies.Order(), checks.Keys.Order());
        Assert.All(checks.Values, status => Assert.Equal("Healthy", status));
    }

    [Theory]
    [InlineData("auth")]
    [InlineData("catalog")]
    public async Task Grpc_health_service_answers_serving(string service)
    {
        using var channel = fixture.CreateGrpcChannel(service);
        var health = new Health.HealthClient(channel);

        var reply = await health.CheckAsync(new HealthCheckRequest { Service = "" }, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}
