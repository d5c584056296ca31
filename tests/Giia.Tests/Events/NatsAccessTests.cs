using System.Collections.Concurrent;

using Giia.Events;
using Giia.Events.Access;
using Giia.Nats;
using Giia.Tests.Infrastructure;

using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Giia.Tests.Events;

/// <summary>
/// Each service's NATS login may publish its own subjects only: a service that is taken over cannot send Auth's events
/// (a password-reset request), forge its dead letters or its invalidation notices, or read another's consumers.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class NatsAccessTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Catalog_login_cannot_publish_an_Auth_event_nor_forge_its_dead_letter()
    {
        await using var catalog = await LoginAsync(NatsAccessTable.Catalog);
        await using var admin = await AdminAsync();
        var adminJetStream = new NatsJSContext(admin.Connection);
        var subject = "auth.user.password_reset_requested";
        var before = await MessagesOnAsync(adminJetStream, EventStreams.Auth, subject);
        var marker = $"forged-{Guid.NewGuid():N}";
        await using var seen = await admin.Connection.SubscribeCoreAsync<string>("auth.user.>");
        await using var seenDeadLetters = await admin.Connection.SubscribeCoreAsync<string>("dlq.auth.>");

        // The login itself works: JetStream answers it.
        var account = await new NatsJSContext(catalog.Connection).GetAccountInfoAsync();
        Assert.True(account.Streams > 0);

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var timeout = new CancellationTokenSource(Quiet);
            var ack = await new NatsJSContext(catalog.Connection).PublishAsync(subject, marker, cancellationToken: timeout.Token);
            ack.EnsureSuccess();
        });
        await catalog.Connection.PublishAsync(EventStreams.DeadLetterSubject(subject), marker);
        await catalog.Connection.PingAsync();

        Assert.False(await ReceivesAsync(seen, marker), "Catalog's login published an Auth event");
        Assert.False(await ReceivesAsync(seenDeadLetters, marker), "Catalog's login published an Auth dead letter");
        Assert.Equal(before, await MessagesOnAsync(adminJetStream, EventStreams.Auth, subject));
        await Eventually.UntilAsync(() => Task.FromResult(catalog.Violations.Count), n => n >= 2, TimeSpan.FromSeconds(5),
            "the server to report both refusals");
        Assert.Contains(catalog.Violations, v => v.Contains(subject, StringComparison.Ordinal));
        Assert.Contains(catalog.Violations, v => v.Contains(EventStreams.DeadLetterSubject(subject), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Catalog_login_cannot_read_Auth_events_nor_take_over_an_Auth_consumer()
    {
        await using var catalog = await LoginAsync(NatsAccessTable.Catalog);
        await using var admin = await AdminAsync();
        var adminJetStream = new NatsJSContext(admin.Connection);
        var consumer = "auth-password-email";
        var before = (await adminJetStream.GetConsumerAsync(EventStreams.Auth, consumer)).Info.Config;

        // A plain subscription to Auth's subjects is refused by the server.
        await using (await catalog.Connection.SubscribeCoreAsync<string>("auth.>"))
        {
            await catalog.Connection.PingAsync();
            await Eventually.UntilAsync(() => Task.FromResult(catalog.Violations.Count), n => n >= 1, TimeSpan.FromSeconds(5),
                "the server to refuse the subscription");
        }

        // Re-pointing Auth's mail consumer (or pulling from it) gets no answer.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var timeout = new CancellationTokenSource(Quiet);
            await new NatsJSContext(catalog.Connection).CreateOrUpdateConsumerAsync(EventStreams.Auth,
                new ConsumerConfig(consumer) { FilterSubject = "auth.>", AckPolicy = ConsumerConfigAckPolicy.Explicit }, timeout.Token);
        });
        var after = (await adminJetStream.GetConsumerAsync(EventStreams.Auth, consumer)).Info.Config;
        Assert.Equal(before.FilterSubject, after.FilterSubject);
        Assert.Contains(catalog.Violations, v => v.Contains("Subscription to \"auth.>\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ddmrp_login_cannot_widen_its_retry_consumer_to_other_services_retries()
    {
        await using var ddmrp = await LoginAsync(NatsAccessTable.Ddmrp);
        await using var admin = await AdminAsync();
        var adminJetStream = new NatsJSContext(admin.Connection);
        var jetStream = new NatsJSContext(ddmrp.Connection);
        var consumer = "ddmrp-copy-product-created-retry";
        var before = (await adminJetStream.GetConsumerAsync(EventStreams.Retry, consumer)).Info.Config;
        Assert.Equal("retry.ddmrp-copy-product-created.>", before.FilterSubject);

        // Every service's retries (retry.>), Auth's mail retries, or a filter list (sent without a filter in the subject,
        // so the server would take any filter from the body): each create is refused by the server, none answered.
        foreach (var config in new[]
                 {
                     ConsumerLike(before, c => c.FilterSubject = "retry.>"),
                     ConsumerLike(before, c => c.FilterSubject = "retry.auth-password-email.>"),
                     ConsumerLike(before, c => c.FilterSubjects = ["retry.>"]),
                 })
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                using var timeout = new CancellationTokenSource(Quiet);
                await jetStream.CreateOrUpdateConsumerAsync(EventStreams.Retry, config, timeout.Token);
            });
        }

        await ddmrp.Connection.PingAsync();
        var create = $"$JS.API.CONSUMER.CREATE.{EventStreams.Retry}.{consumer}";
        await Eventually.UntilAsync(() => Task.FromResult(ddmrp.Violations.Count), n => n >= 3, TimeSpan.FromSeconds(5),
            "the server to report the three refusals");
        Assert.Contains(ddmrp.Violations, v => v.Contains($"Publish to \"{create}.retry.>\"", StringComparison.Ordinal));
        Assert.Contains(ddmrp.Violations, v => v.Contains($"Publish to \"{create}.retry.auth-password-email.>\"", StringComparison.Ordinal));
        Assert.Contains(ddmrp.Violations, v => v.Contains($"Publish to \"{create}\"", StringComparison.Ordinal));
        Assert.Equal(before.FilterSubject, (await adminJetStream.GetConsumerAsync(EventStreams.Retry, consumer)).Info.Config.FilterSubject);

        // Its own filter is accepted: the client sends it in the subject, where the grant names it.
        var violations = ddmrp.Violations.Count;
        var own = await jetStream.CreateOrUpdateConsumerAsync(EventStreams.Retry, before);
        Assert.Equal("retry.ddmrp-copy-product-created.>", own.Info.Config.FilterSubject);
        Assert.Equal(violations, ddmrp.Violations.Count);
    }

    private static ConsumerConfig ConsumerLike(ConsumerConfig existing, Action<ConsumerConfig> change)
    {
        var config = new ConsumerConfig(existing.DurableName!)
        {
            AckPolicy = existing.AckPolicy,
            AckWait = existing.AckWait,
            DeliverPolicy = existing.DeliverPolicy,
            MaxAckPending = existing.MaxAckPending,
        };
        change(config);
        return config;
    }

    [Fact]
    public async Task Only_Auth_sends_invalidation_notices_and_only_the_dlq_worker_sends_retries()
    {
        await using var admin = await AdminAsync();
        await using var notices = await admin.Connection.SubscribeCoreAsync<string>("invalidation.auth.>");
        await using var retries = await admin.Connection.SubscribeCoreAsync<string>("retry.auth-password-email.>");
        foreach (var user in new[] { NatsAccessTable.Catalog, NatsAccessTable.Ddmrp, NatsAccessTable.DlqWorker })
        {
            await using var login = await LoginAsync(user);
            var marker = $"forged-{user}-{Guid.NewGuid():N}";
            await login.Connection.PublishAsync("invalidation.auth.all", marker);
            if (user != NatsAccessTable.DlqWorker)
            {
                await login.Connection.PublishAsync("retry.auth-password-email.auth.user.password_reset_requested", marker);
            }

            await login.Connection.PingAsync();
            Assert.False(await ReceivesAsync(notices, marker), $"{user}'s login sent an invalidation notice");
            Assert.False(await ReceivesAsync(retries, marker), $"{user}'s login sent a retry");
        }
    }

    [Fact]
    public async Task Every_service_consumer_on_the_server_is_one_the_table_grants()
    {
        await using var admin = await AdminAsync();
        var jetStream = new NatsJSContext(admin.Connection);
        var granted = NatsAccessTable.Services.SelectMany(s => s.AllConsumers()).ToHashSet();
        var prefixes = NatsAccessTable.Services.Select(s => s.User + "-").ToArray();
        var found = new List<(string Stream, string Consumer)>();
        await foreach (var stream in jetStream.ListStreamNamesAsync())
        {
            await foreach (var consumer in jetStream.ListConsumerNamesAsync(stream))
            {
                if (prefixes.Any(p => consumer.StartsWith(p, StringComparison.Ordinal)))
                {
                    found.Add((stream, consumer));
                }
            }
        }

        // The running services made their consumers, each with its own login: each one must be in the table.
        Assert.Contains((EventStreams.Auth, "auth-password-email"), found);
        Assert.Contains((EventStreams.Catalog, "ddmrp-copy-product-created"), found);
        Assert.All(found, c => Assert.True(granted.Contains(c), $"{c.Consumer} on {c.Stream} is not granted"));
    }

    private async Task<Login> AdminAsync() => await Login.OpenAsync(await fixture.ConnectionStringAsync("nats"), null);

    private async Task<Login> LoginAsync(string user) =>
        await Login.OpenAsync(await fixture.ConnectionStringAsync($"nats-{user}"), user);

    private static async Task<ulong> MessagesOnAsync(INatsJSContext jetStream, string stream, string subject)
    {
        var info = await jetStream.GetStreamAsync(stream, new StreamInfoRequest { SubjectsFilter = subject });
        return info.Info.State.Subjects is { } subjects && subjects.TryGetValue(subject, out var count) ? (ulong)count : 0;
    }

    private static async Task<bool> ReceivesAsync(INatsSub<string> subscription, string marker)
    {
        using var quiet = new CancellationTokenSource(Quiet);
        try
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync(quiet.Token))
            {
                if (message.Data == marker)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    /// <summary>A connection as one login, with the server's permission refusals it was told of.</summary>
    private sealed class Login : IAsyncDisposable
    {
        private readonly ConcurrentQueue<string> violations = new();

        private Login(NatsConnection connection) => Connection = connection;

        public NatsConnection Connection { get; }

        public IReadOnlyCollection<string> Violations => violations;

        public static async Task<Login> OpenAsync(string url, string? user)
        {
            var login = new Login(new NatsConnection(NatsOpts.Default with
            {
                Url = url,
                InboxPrefix = NatsClientExtensions.InboxPrefixFor(user),
                RequestTimeout = Quiet,
            }));
            login.Connection.ServerError += (_, e) =>
            {
                login.violations.Enqueue(e.Error);
                return ValueTask.CompletedTask;
            };
            await login.Connection.ConnectAsync();
            return login;
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
