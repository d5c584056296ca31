using Giia.Events;
using Giia.Events.Access;

namespace Giia.UnitTests;

/// <summary>The grants each service's NATS login gets: its own subjects, never another's.</summary>
public sealed class NatsAccessTableTests
{
    /// <summary>Which logins may publish each event subject: the service that owns it (and the DLQ worker for audit copies).</summary>
    public static TheoryData<string, string[]> EventPublishers()
    {
        var data = new TheoryData<string, string[]>();
        foreach (var subject in EventSchemaRegistry.Default.All.Select(e => e.NatsSubject).Distinct())
        {
            string[] owners = subject switch
            {
                // Only Auth makes permission checks; the DLQ worker's operator actions are audit.recorded.
                "audit.auth.checks_recorded" => [NatsAccessTable.Auth],
                _ => subject.Split('.')[0] switch
                {
                    "auth" => [NatsAccessTable.Auth],
                    "catalog" => [NatsAccessTable.Catalog],
                    "ddmrp" or "ddmrp-work" => [NatsAccessTable.Ddmrp],
                    "audit" => [NatsAccessTable.Auth, NatsAccessTable.DlqWorker],
                    var other => throw new InvalidOperationException($"an event subject of unknown owner: {other}"),
                },
            };
            data.Add(subject, owners);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EventPublishers))]
    public void Only_the_owner_of_an_event_may_publish_it(string subject, string[] owners)
    {
        var publishers = NatsAccessTable.Services.Where(s => s.PublishAllowed.Any(p => Matches(p, subject))).Select(s => s.User).Order();
        Assert.Equal(owners.Order(), publishers);
    }

    [Fact]
    public void Dead_letters_retries_and_notices_come_only_from_whoever_handles_them()
    {
        // A dead letter of Auth's mail subject is Auth's alone to report; the DLQ worker would send it back as a retry.
        Assert.Equal([NatsAccessTable.Auth], Publishers("dlq.auth.user.password_reset_requested"));
        Assert.Equal([NatsAccessTable.Auth], Publishers("dlq.recovered.auth-password-email.auth.user.password_reset_requested"));
        Assert.Empty(Publishers("dlq.recovered.auth-password-email.catalog.product.created"));
        Assert.Equal([NatsAccessTable.Ddmrp], Publishers("dlq.catalog.product.created"));
        Assert.Equal([NatsAccessTable.DlqWorker], Publishers("retry.auth-password-email.auth.user.password_reset_requested"));
        Assert.Equal([NatsAccessTable.Auth], Publishers("invalidation.auth.session"));
        Assert.Equal([NatsAccessTable.Auth], Publishers("invalidation.auth.heartbeat"));
    }

    [Fact]
    public void Streams_are_updated_only_by_their_owner_and_deleted_or_purged_by_nobody()
    {
        foreach (var stream in EventStreams.Shared.Select(s => s.Name).Append(EventStreams.DdmrpWorkQueue.Name))
        {
            Assert.Single(Publishers($"$JS.API.STREAM.UPDATE.{stream}"));
            Assert.Empty(Publishers($"$JS.API.STREAM.DELETE.{stream}"));
            Assert.Empty(Publishers($"$JS.API.STREAM.PURGE.{stream}"));
            Assert.Empty(Publishers($"$JS.API.STREAM.MSG.DELETE.{stream}"));
        }

        Assert.Empty(Publishers("$JS.API.CONSUMER.DELETE.AUTH_EVENTS.auth-password-email"));
    }

    [Fact]
    public void A_consumer_is_created_pulled_and_acknowledged_by_its_service_alone()
    {
        foreach (var service in NatsAccessTable.Services)
        {
            foreach (var (stream, consumer, filter) in service.ConsumerFilters())
            {
                Assert.Equal([service.User], Publishers($"$JS.API.CONSUMER.CREATE.{stream}.{consumer}.{filter}"));
                Assert.Equal([service.User], Publishers($"$JS.API.CONSUMER.MSG.NEXT.{stream}.{consumer}"));
                Assert.Equal([service.User], Publishers($"$JS.ACK.{stream}.{consumer}.1.2.3.4.5"));
            }
        }
    }

    [Fact]
    public void A_consumer_is_created_with_its_granted_filter_only()
    {
        foreach (var service in NatsAccessTable.Services)
        {
            foreach (var (stream, consumer, filter) in service.ConsumerFilters())
            {
                // Without a filter in the subject the server takes any filter from the body: never granted.
                Assert.Empty(Publishers($"$JS.API.CONSUMER.CREATE.{stream}.{consumer}"));
                Assert.Empty(Publishers($"$JS.API.CONSUMER.DURABLE.CREATE.{stream}.{consumer}"));
                Assert.Empty(Publishers($"$JS.API.CONSUMER.CREATE.{stream}.{consumer}.some.filter"));
                var wholeStream = $"{stream.Split('_')[0].ToLowerInvariant()}.>";
                if (wholeStream != filter)
                {
                    Assert.Empty(Publishers($"$JS.API.CONSUMER.CREATE.{stream}.{consumer}.{wholeStream}"));
                }

                Assert.Empty(Publishers($"$JS.API.CONSUMER.CREATE.{stream}.{consumer}.>"));
                if (stream == EventStreams.Retry)
                {
                    // The retry consumer reads its own retries, never every service's.
                    Assert.Equal(EventStreams.RetrySubject(consumer[..^"-retry".Length], ">"), filter);
                    Assert.Empty(Publishers($"$JS.API.CONSUMER.CREATE.{stream}.{consumer}.retry.>"));
                    var foreign = consumer == "auth-password-email-retry" ? "retry.ddmrp-recalculation.>" : "retry.auth-password-email.>";
                    Assert.Empty(Publishers($"$JS.API.CONSUMER.CREATE.{stream}.{consumer}.{foreign}"));
                }
            }
        }

        Assert.Equal([NatsAccessTable.Ddmrp], Publishers(
            "$JS.API.CONSUMER.CREATE.RETRY_EVENTS.ddmrp-copy-product-created-retry.retry.ddmrp-copy-product-created.>"));
        Assert.Empty(Publishers("$JS.API.CONSUMER.CREATE.RETRY_EVENTS.ddmrp-copy-product-created-retry.retry.>"));
    }

    [Fact]
    public void Each_login_reads_its_own_inbox_and_no_event_subject()
    {
        foreach (var service in NatsAccessTable.Services)
        {
            Assert.Contains(service.SubscribeAllowed, p => Matches(p, $"_INBOX.{service.User}.abc.1"));
            foreach (var other in NatsAccessTable.Services.Where(o => o != service))
            {
                Assert.DoesNotContain(service.SubscribeAllowed, p => Matches(p, $"_INBOX.{other.User}.abc.1"));
            }

            Assert.DoesNotContain(service.SubscribeAllowed, p => EventSchemaRegistry.Default.All.Any(e => Matches(p, e.NatsSubject)));
        }
    }

    [Fact]
    public void Every_login_hears_Auths_invalidation_notices_Auth_too_for_its_other_instances()
    {
        foreach (var service in NatsAccessTable.Services)
        {
            Assert.True(service.ListensToAuthNotices, service.User);
            Assert.Contains(service.SubscribeAllowed, p => Matches(p, "invalidation.auth.session"));
            Assert.Contains(service.SubscribeAllowed, p => Matches(p, "invalidation.auth.heartbeat"));
        }
    }

    [Fact]
    public void A_subscription_the_table_does_not_grant_stops_the_service()
    {
        NatsAccessTable.EnsureGranted(NatsAccessTable.Auth, "auth-password-email", "auth.user.password_reset_requested");
        NatsAccessTable.EnsureGranted("tests", "tests-anything", "catalog.product.created"); // not a service: unrestricted
        var refused = Assert.Throws<InvalidOperationException>(() =>
            NatsAccessTable.EnsureGranted(NatsAccessTable.Catalog, "catalog-spy", "auth.user.password_reset_requested"));
        Assert.Contains("NatsAccessTable", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_authorization_block_lists_the_operator_and_every_service_with_its_password()
    {
        var block = NatsAccessTable.AuthorizationBlock("$OP_USER", "$OP_PASSWORD", NatsAccessTable.PasswordVariable);
        Assert.Contains("{ user: $OP_USER, password: $OP_PASSWORD }", block, StringComparison.Ordinal);
        foreach (var service in NatsAccessTable.Services)
        {
            Assert.Contains($"user: \"{service.User}\", password: $NATS_{service.User.ToUpperInvariant()}_PASSWORD", block, StringComparison.Ordinal);
        }

        Assert.Equal(block.Count(c => c == '{'), block.Count(c => c == '}'));
    }

    private static string[] Publishers(string subject) =>
        [.. NatsAccessTable.Services.Where(s => s.PublishAllowed.Any(p => Matches(p, subject))).Select(s => s.User).Order()];

    /// <summary>NATS subject matching: <c>*</c> is one token, a final <c>&gt;</c> one or more.</summary>
    private static bool Matches(string pattern, string subject)
    {
        var p = pattern.Split('.');
        var s = subject.Split('.');
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == ">")
            {
                return i == p.Length - 1 && s.Length > i;
            }

            if (i >= s.Length || (p[i] != "*" && p[i] != s[i]))
            {
                return false;
            }
        }

        return p.Length == s.Length;
    }
}
