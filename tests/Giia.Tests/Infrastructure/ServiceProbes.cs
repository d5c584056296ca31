using System.Net;
using System.Text.Json;

using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;

namespace Giia.Tests.Infrastructure;

/// <summary>What tests read from a running service besides its API: readiness and the gRPC services it lists.</summary>
public static class ServiceProbes
{
    /// <summary>GET /health/ready: the status code and the JSON report.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> ReadinessAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>One named entry of a readiness report.</summary>
    public static JsonElement Check(JsonElement readiness, string name) =>
        readiness.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>The services a gRPC server lists through reflection.</summary>
    public static async Task<IReadOnlyList<string>> ReflectedServicesAsync(GrpcChannel channel)
    {
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return [.. call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name)];
    }
}
