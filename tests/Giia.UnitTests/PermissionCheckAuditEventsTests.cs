extern alias authservice;

using System.Diagnostics.Metrics;
using System.Text.Json;

using authservice::Giia.Auth.Audit;

using Giia.Events;
using Giia.Events.Outbox;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Giia.UnitTests;

/// <summary>How a batch of permission-check audit records becomes events: per organization, in chunks, each valid.</summary>
public sealed class PermissionCheckAuditEventsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => services.Dispose();

    private EventOutbox Outbox() => new(EventSchemaRegistry.Default, Options.Create(new EventsOptions { Source = "/giia/auth" }),
        TimeProvider.System, new EventsMetrics(services.GetRequiredService<IMeterFactory>()));

    private static AuditLog Check(Guid organization, int n) => new()
    {
        Id = Guid.CreateVersion7(),
        OrganizationId = organization,
        UserId = Guid.NewGuid(),
        Action = AuditActions.PermissionCheck,
        Resource = "catalog:read",
        Result = n % 3 == 0 ? AuditResults.Denied : AuditResults.Allowed,
        IpAddress = "127.0.0.1",
        UserAgent = "grpc-dotnet/2.70",
        RequestId = $"req-{n}",
        Metadata = JsonSerializer.SerializeToDocument(new { reason = "granted" }),
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public void Records_are_grouped_by_organization_and_cut_into_events_of_at_most_the_chunk_size_each_record_once()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var batch = Enumerable.Range(0, PermissionCheckAudit.RecordsPerEvent * 2 + 7).Select(n => Check(first, n))
            .Concat(Enumerable.Range(0, 3).Select(n => Check(second, n))).ToList();

        var (events, refused) = PermissionCheckAudit.EventsOf(batch, Outbox());

        Assert.Empty(refused);
        var parsed = events.Select(e => JsonDocument.Parse(e.Payload).RootElement).ToList();
        Assert.All(parsed, e => Assert.Equal("audit.checks_recorded", e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal("audit.auth.checks_recorded", e.NatsSubject));
        var byOrganization = parsed.GroupBy(e => e.GetProperty("organizationid").GetString()).ToDictionary(g => g.Key!, g => g.ToList());
        Assert.Equal([3, 1], [byOrganization[first.ToString()].Count, byOrganization[second.ToString()].Count]);
        Assert.All(parsed, e =>
        {
            var records = e.GetProperty("data").GetProperty("records");
            Assert.InRange(records.GetArrayLength(), 1, PermissionCheckAudit.RecordsPerEvent);
            Assert.All(records.EnumerateArray(), r =>
                Assert.Equal(e.GetProperty("data").GetProperty("organization_id").GetString(), r.GetProperty("organization_id").GetString()));
        });
        var published = parsed.SelectMany(e => e.GetProperty("data").GetProperty("records").EnumerateArray())
            .Select(r => Guid.Parse(r.GetProperty("audit_id").GetString()!)).ToList();
        Assert.Equal(batch.Select(r => r.Id).Order(), published.Order());
    }

    [Fact]
    public void Records_with_the_longest_texts_are_cut_into_events_that_stay_far_below_the_NATS_payload_limit()
    {
        var organization = Guid.NewGuid();
        var batch = Enumerable.Range(0, PermissionCheckAudit.RecordsPerEvent).Select(n =>
        {
            var record = Check(organization, n);
            // Characters the serializer escapes as \uXXXX, at the lengths RequestMetadata keeps.
            record.UserAgent = new string('<', 500);
            record.RequestId = new string('"', 100);
            record.Resource = new string('+', 100);
            return record;
        }).ToList();

        var (events, refused) = PermissionCheckAudit.EventsOf(batch, Outbox());

        Assert.Empty(refused);
        Assert.True(events.Count > 1, "one event would hold every record");
        Assert.All(events, e => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(e.Payload), 1, PermissionCheckAudit.MaxEventBytes + 16 * 1024));
        Assert.Equal(batch.Count, events.Sum(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("data").GetProperty("records").GetArrayLength()));
    }

    [Fact]
    public void A_record_that_breaks_the_schema_costs_only_its_own_chunk_its_event_and_the_other_organizations_are_published()
    {
        var broken = Check(Guid.NewGuid(), 1);
        broken.Result = "maybe";
        var fine = Enumerable.Range(0, 5).Select(n => Check(Guid.NewGuid(), n)).ToList();

        var (events, refused) = PermissionCheckAudit.EventsOf([broken, .. fine], Outbox());

        var (records, failure) = Assert.Single(refused);
        Assert.Equal(broken.Id, Assert.Single(records).Id);
        Assert.Contains("result", failure.Message, StringComparison.Ordinal);
        Assert.Equal(fine.Count, events.Count);
    }
}
