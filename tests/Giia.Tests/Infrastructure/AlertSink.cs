using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Giia.Tests.Infrastructure;

/// <summary>An HTTP endpoint in the test process that receives the DLQ worker's alert webhooks.</summary>
public sealed class AlertSink : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<JsonElement> alerts = new();
    private readonly CancellationTokenSource stop = new();

    public AlertSink()
    {
        Port = GiiaAppFixture.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _ = Task.Run(ReceiveAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/alerts");

    /// <summary>The alerts about one event; several consumers of its type may each park it (the buffer engine's Catalog copy too).</summary>
    public IReadOnlyList<JsonElement> AlertsFor(string eventId, string consumer) =>
        alerts.Where(a => a.TryGetProperty("eventId", out var id) && id.GetString() == eventId
            && a.TryGetProperty("consumer", out var by) && by.GetString() == consumer).ToList();

    private async Task ReceiveAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using (var document = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                alerts.Enqueue(document.RootElement.Clone());
            }

            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        stop.Dispose();
    }
}
