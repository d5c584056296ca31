extern alias dlqservice;

using System.Text.Json;

using Giia.Events;
using Giia.Events.Contracts;
using Giia.ServiceDefaults;

using NATS.Client.JetStream.Models;

namespace Giia.Tests.Events;

/// <summary>The backbone's pure rules: stream reconciliation, retry schedules on the wire, bounded ids, consumer settings.</summary>
public sealed class EventBackboneRulesTests
{
    private static readonly StreamDefinition Catalog = EventStreams.Shared.Single(s => s.Name == EventStreams.Catalog);

    [Fact]
    public void Shared_streams_each_have_a_byte_limit_and_only_the_audit_copies_drop_their_oldest()
    {
        var settings = new StreamOptions();
        foreach (var definition in EventStreams.Shared)
        {
            var config = StreamProvisioner.Desired(definition, settings);
            Assert.True(config.MaxBytes > 0, $"{definition.Name} has no byte limit");
            Assert.Equal(definition.Name == EventStreams.Audit ? StreamConfigDiscard.Old : StreamConfigDiscard.New, config.Discard);
        }

        Assert.Equal(EventStreams.Audit, EventStreams.ForSubject(EventSchemaRegistry.Default.Get("audit.recorded", 1).NatsSubject));
    }

    [Fact]
    public void Environment_limits_replace_the_definitions_defaults()
    {
        var settings = new StreamOptions { Limits = { [EventStreams.Catalog] = new StreamLimitOptions { MaxBytes = 5L << 30 } } };

        var config = StreamProvisioner.Desired(Catalog, settings);

        Assert.Equal(5L << 30, config.MaxBytes);
        Assert.Equal(Catalog.DefaultMaxAge, config.MaxAge);
    }

    [Fact]
    public void Reconcile_keeps_an_operators_limits_and_restores_what_the_code_owns()
    {
        var desired = StreamProvisioner.Desired(Catalog, new StreamOptions());
        var edited = desired with { MaxBytes = 3L << 30, MaxAge = TimeSpan.FromDays(2), Discard = StreamConfigDiscard.Old, Subjects = ["other.>"] };

        var update = StreamProvisioner.Reconcile(edited, desired);

        Assert.NotNull(update);
        Assert.Equal(3L << 30, update.MaxBytes);
        Assert.Equal(TimeSpan.FromDays(2), update.MaxAge);
        Assert.Equal(StreamConfigDiscard.New, update.Discard);
        Assert.Equal(["catalog.>"], update.Subjects);
        Assert.Null(StreamProvisioner.Reconcile(update, desired));
    }

    [Fact]
    public void Reconcile_gives_a_stream_without_limits_the_configured_ones()
    {
        var desired = StreamProvisioner.Desired(Catalog, new StreamOptions());
        var unlimited = desired with { MaxBytes = -1, MaxAge = TimeSpan.Zero };

        var update = StreamProvisioner.Reconcile(unlimited, desired);

        Assert.Equal(desired.MaxBytes, update?.MaxBytes);
        Assert.Equal(desired.MaxAge, update?.MaxAge);
    }

    [Theory]
    [InlineData("60,300,900", new[] { 60.0, 300, 900 })]
    [InlineData("0.1,2.5", new[] { 0.1, 2.5 })]
    [InlineData("", new double[0])]
    public void Retry_schedule_header_round_trips(string header, double[] seconds)
    {
        var parsed = RetrySchedules.Parse(header);

        Assert.Equal(seconds, parsed!.Select(w => w.TotalSeconds));
        Assert.Equal(header, RetrySchedules.Format(parsed!));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("60,abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("90000")]
    [InlineData("1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1")]
    [InlineData("1e3")]
    public void Retry_schedule_header_that_is_absent_or_out_of_bounds_is_ignored(string? header) =>
        Assert.Null(RetrySchedules.Parse(header));

    [Fact]
    public void Default_retry_schedule_rides_out_an_hour()
    {
        var total = ConsumerOptions.DefaultRetrySchedule.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);

        Assert.InRange(total, TimeSpan.FromHours(1), TimeSpan.FromHours(1.5));
        // The DLQ worker's default continues the consumer's after its one redelivery.
        Assert.Equal(ConsumerOptions.DefaultRetrySchedule.Skip(new ConsumerOptions().ConsumerRetries), dlqservice::Giia.DlqWorker.Retry.DlqOptions.DefaultRetrySchedule);
    }

    [Fact]
    public void Consumer_settings_refuse_more_consumer_retries_than_waits()
    {
        var settings = new ConsumerOptions { RetrySchedule = [TimeSpan.FromSeconds(1)], ConsumerRetries = 2 };

        var failures = ValidatedOptions.Failures(settings, "Giia:Events:Subscriptions:x");

        Assert.Contains(failures, f => f.StartsWith("Giia:Events:Subscriptions:x:ConsumerRetries", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0193f1c2-aaaa-7bbb-8ccc-123456789abc", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("tab\there", false)]
    [InlineData("é-not-ascii", false)]
    public void Bounded_ids_are_short_printable_ascii(string id, bool bounded) => Assert.Equal(bounded, EventEnvelope.IsBoundedId(id));

    [Fact]
    public void An_envelope_id_longer_than_its_columns_breaks_the_schema()
    {
        var organization = Guid.NewGuid();
        var envelope = EventWire.Envelope(EventWire.NewProduct(organization), organization) with { Id = new string('x', EventEnvelope.MaxIdLength + 1) };

        var error = Assert.Throws<EventValidationException>(() => EventSchemaRegistry.Default.Validate(envelope));

        Assert.Contains("id must be", error.Message, StringComparison.Ordinal);
        Assert.True(EventEnvelope.IsBoundedId(new string('x', EventEnvelope.MaxIdLength)));
    }

    [Fact]
    public void Aggregate_version_travels_in_the_envelope()
    {
        var organization = Guid.NewGuid();
        var envelope = EventWire.Envelope(EventWire.NewProduct(organization), organization) with { AggregateVersion = 3 };

        var parsed = EventEnvelope.Parse(envelope.ToUtf8Json());

        Assert.Equal(3, parsed.AggregateVersion);
        using var document = JsonDocument.Parse(envelope.ToUtf8Json());
        Assert.Equal(3, document.RootElement.GetProperty("aggregateversion").GetInt64());
        Assert.False(GiiaEventAttribute.Of(typeof(AuditRecorded)).Ordered);
        Assert.True(GiiaEventAttribute.Of(typeof(ProductUpdated)).Ordered);
    }
}
