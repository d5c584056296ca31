using System.Diagnostics;
using System.Diagnostics.Metrics;

using Giia.Events;
using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Giia.UnitTests;

/// <summary>The trace context an outbox row carries: W3C traceparent of the current trace, tracestate when it fits its column.</summary>
public sealed class EventOutboxTraceContextTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => services.Dispose();

    private OutboxMessage Create() =>
        new EventOutbox(EventSchemaRegistry.Default, Options.Create(new EventsOptions { Source = "/giia/auth" }), TimeProvider.System,
                new EventsMetrics(services.GetRequiredService<IMeterFactory>()))
            .Create(new UserVerified(Guid.NewGuid(), "ana@example.com", Guid.NewGuid(), DateTimeOffset.UtcNow), null).Message;

    [Theory]
    [InlineData(true, "vendor=value", "vendor=value")]
    [InlineData(false, "", null)]
    public void A_row_carries_the_current_trace_as_W3C_traceparent_with_its_sampled_flag(bool sampled, string state, string? expected)
    {
        using var activity = new Activity("change").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.ActivityTraceFlags = sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        activity.TraceStateString = state;

        var message = Create();

        Assert.Equal($"00-{activity.TraceId}-{activity.SpanId}-{(sampled ? "01" : "00")}", message.TraceParent);
        Assert.Equal(expected, message.TraceState);
    }

    [Fact]
    public void A_tracestate_longer_than_its_column_is_left_out_and_the_trace_still_continues()
    {
        using var activity = new Activity("change").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=" + new string('a', OutboxMessage.MaxTraceStateLength);

        var message = Create();

        Assert.StartsWith($"00-{activity.TraceId}-", message.TraceParent, StringComparison.Ordinal);
        Assert.Null(message.TraceState);
    }

    [Fact]
    public void Without_a_trace_a_row_carries_none()
    {
        Activity.Current = null;

        var message = Create();

        Assert.Null(message.TraceParent);
        Assert.Null(message.TraceState);
    }
}
