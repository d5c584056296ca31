using System.Text.Json;

using Giia.Events;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;

namespace Giia.Tests.Events;

/// <summary>The schema folder is the catalogue of event types; events that break it are refused before anything is written.</summary>
public sealed class EventSchemaTests
{
    private static readonly EventSchemaRegistry Schemas = EventSchemaRegistry.Default;

    public static TheoryData<string, string> EventTypes => new()
    {
        { "user.registered", "auth.user.registered" },
        { "user.verified", "auth.user.verified" },
        { "user.password_changed", "auth.user.password_changed" },
        { "product.created", "catalog.product.created" },
        { "product.updated", "catalog.product.updated" },
        { "product.deleted", "catalog.product.deleted" },
        { "supplier.created", "catalog.supplier.created" },
        { "supplier.updated", "catalog.supplier.updated" },
        { "supplier.deleted", "catalog.supplier.deleted" },
        { "buffer_profile.created", "catalog.buffer_profile.created" },
        { "buffer_profile.updated", "catalog.buffer_profile.updated" },
        { "buffer_profile.deleted", "catalog.buffer_profile.deleted" },
        { "audit.recorded", "audit.auth.recorded" },
        { "audit.checks_recorded", "audit.auth.checks_recorded" },
    };

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void Every_event_type_has_a_schema_and_a_hierarchical_subject(string type, string subject)
    {
        var info = Schemas.Get(type, 1);

        Assert.Equal(subject, info.NatsSubject);
        Assert.Equal(type.Split('.')[0] switch { "user" => EventStreams.Auth, "audit" => EventStreams.Audit, _ => EventStreams.Catalog },
            EventStreams.ForSubject(info.NatsSubject));
    }

    [Fact]
    public void Valid_event_passes_and_keeps_the_spec_field_names()
    {
        var organization = Guid.NewGuid();
        var envelope = Schemas.Create(new UserRegistered(Guid.NewGuid(), "ana@example.com", "Ana", organization, "pending", DateTimeOffset.UtcNow),
            "/giia/auth", organization, "users/1", TimeProvider.System);

        Assert.Equal("user.registered", envelope.Type);
        Assert.Equal("1.0", envelope.SpecVersion);
        Assert.Equal(organization, envelope.OrganizationId);
        Assert.Equal("ana@example.com", envelope.Data.GetProperty("email").GetString());
        Assert.True(envelope.Data.TryGetProperty("organization_id", out _));
    }

    [Fact]
    public void Invalid_email_is_refused_naming_the_field()
    {
        var error = Assert.Throws<EventValidationException>(() => Schemas.Create(
            new UserRegistered(Guid.NewGuid(), "not-an-email", "Ana", Guid.NewGuid(), "pending", DateTimeOffset.UtcNow),
            "/giia/auth", null, null, TimeProvider.System));

        Assert.Contains(error.Errors, e => e.StartsWith("data.email", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_required_field_and_malformed_uuid_are_both_named()
    {
        var envelope = new EventEnvelope
        {
            Id = Guid.NewGuid().ToString(),
            Source = "/giia/tests",
            Type = "product.created",
            Time = DateTimeOffset.UtcNow,
            Data = JsonSerializer.SerializeToElement(new { product_id = "12", name = "Widget", organization_id = Guid.NewGuid() }),
        };

        var error = Assert.Throws<EventValidationException>(() => Schemas.Validate(envelope));

        Assert.Contains("sku", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Errors, e => e.StartsWith("data.product_id", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"id":"abc","type":"x"}""", "abc")]
    [InlineData("""[1,2,3]""", null)]
    [InlineData("""{"id":42}""", null)]
    [InlineData("""not json at all""", null)]
    [InlineData("", null)]
    public void The_id_of_any_body_is_read_without_throwing(string body, string? expected)
    {
        Assert.Equal(expected, EventEnvelope.TryReadId(System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Unknown_event_type_is_refused()
    {
        var envelope = new EventEnvelope
        {
            Id = Guid.NewGuid().ToString(),
            Source = "/giia/tests",
            Type = "product.exploded",
            Time = DateTimeOffset.UtcNow,
            Data = JsonSerializer.SerializeToElement(new { }),
        };

        var error = Assert.Throws<EventValidationException>(() => Schemas.Validate(envelope));

        Assert.Contains("unknown event type 'product.exploded'", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>An invalid event never reaches the outbox: the change it was meant to describe is not saved either.</summary>
[Collection(GiiaSystem.Name)]
public sealed class OutboxValidationTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Invalid_event_is_refused_at_publish_and_nothing_is_written()
    {
        using var writer = new CatalogWriter(await fixture.ConnectionStringAsync("catalogdb"));
        await using var db = writer.NewContext();
        var organization = Guid.NewGuid();

        var error = Assert.Throws<EventValidationException>(() => writer.Outbox.Enqueue(db,
            new ProductCreated(Guid.NewGuid(), organization, "", "Widget", null, "each", -1m, "sold-out", null, DateTimeOffset.UtcNow),
            organization));

        Assert.Contains(error.Errors, e => e.StartsWith("data.sku", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("data.status", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("data.standard_cost", StringComparison.Ordinal));
        Assert.Empty(db.ChangeTracker.Entries<OutboxMessage>());
        Assert.Equal(0, await db.SaveChangesAsync());
        Assert.False(await db.Set<OutboxMessage>().AnyAsync(m => m.Payload.Contains(organization.ToString())));
    }
}
