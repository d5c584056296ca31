using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Giia.Benchmarks;

/// <summary>
/// An OTLP/HTTP receiver on loopback that the services export their traces, metrics and logs to during a run, so
/// telemetry costs what it costs in production (serialized and sent) without a collector on the same two cores; it
/// counts what arrives and discards it.
/// </summary>
public sealed class TelemetrySink : IAsyncDisposable
{
    private readonly WebApplication app;
    private long traceBytes;
    private long traceRequests;

    private TelemetrySink(WebApplication app) => this.app = app;

    public string Endpoint { get; private set; } = "";

    public long TraceBytes => Interlocked.Read(ref traceBytes);

    public long TraceRequests => Interlocked.Read(ref traceRequests);

    /// <summary>The environment that points a service's exporter here.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    };

    public static async Task<TelemetrySink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new TelemetrySink(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            long length = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                length += read;
            }

            if (signal == "traces")
            {
                Interlocked.Add(ref sink.traceBytes, length);
                Interlocked.Increment(ref sink.traceRequests);
            }

            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        sink.Endpoint = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return sink;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
