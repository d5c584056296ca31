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

        var events = PermissionCheckAudit.EventsOf(batch, Outbox());

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
    public void A_record_that_breaks_the_schema_is_refused_rather_than_published()
    {
        var broken = Check(Guid.NewGuid(), 1);
        broken.Result = "maybe";

        Assert.Throws<EventValidationException>(() => PermissionCheckAudit.EventsOf([broken], Outbox()));
    }
}
