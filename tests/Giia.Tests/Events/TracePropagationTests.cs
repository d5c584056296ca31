using System.Diagnostics;

using Giia.Events.Contracts;
using Giia.ServiceDefaults;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace Giia.Tests.Events;

/// <summary>W3C trace context travels from the change that wrote the event, through the outbox and JetStream, to the handler.</summary>
[Collection(GiiaSystem.Name)]
public sealed class TracePropagationTests(GiiaAppFixture fixture) : IDisposable
{
    private static readonly ActivitySource TestSource = new("Giia.Tests.Requests");

    private readonly ActivityListener listener = new()
    {
        ShouldListenTo = source => source.Name is GiiaTelemetry.ActivitySourceName or "Giia.Tests.Requests",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    [Fact]
    public async Task Consumer_span_has_the_publishers_trace_id()
    {
        ActivitySource.AddActivityListener(listener);
        var journal = new HandlerJournal();
        var subscription = $"traced-{Guid.NewGuid():N}"[..20];
        await using var consumerHost = await TestEventHost.StartAsync(fixture,
            bus => bus.AddSubscription<ProductCreated, ScriptedProductHandler>(subscription),
            services: s => s.AddSingleton(journal));
        using var writer = new CatalogWriter(await fixture.ConnectionStringAsync("catalogdb"));
        var organization = Guid.NewGuid();

        ActivityTraceId publisherTrace;
        string eventId;
        using (var request = TestSource.StartActivity("POST /api/products", ActivityKind.Server))
        {
            Assert.NotNull(request);
            publisherTrace = request.TraceId;
            eventId = await writer.CreateProductAsync(organization, "TRACE-1");
        }

        // The Catalog service's relay publishes the row; the test's subscription handles it.
        var handled = await Eventually.UntilAsync(() => Task.FromResult(journal.For(eventId)), attempts => attempts.Count > 0,
            TimeSpan.FromSeconds(60), $"event {eventId} to be handled");
        Assert.Equal(publisherTrace, handled[0].TraceId);
    }

    public void Dispose() => listener.Dispose();
}
