using System.Collections.Concurrent;

using Giia.Events.Contracts;
using Giia.Events.Subscriptions;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

using NATS.Client.JetStream;

namespace Giia.Tests.Events;

/// <summary>
/// Consumers never double-send: a handler longer than AckWait keeps its message (AckProgress), and the mail handler
/// records its intent before sending, so two Auth replicas send one mail per registration even to a slow mail server.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class ConsumerFlowTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Two_auth_replicas_and_a_mail_server_slower_than_AckWait_send_exactly_one_mail_per_registration()
    {
        // The fixture gives Auth's verification mail consumer a 2 s AckWait and mail to this domain 3 s per message.
        using var auth = new AuthApi(fixture);
        using var second = new AuthApi(fixture, "auth-2");
        var emails = Enumerable.Range(0, 6).Select(i => $"slow-{i}-{Guid.NewGuid():N}@{GiiaAppFixture.SlowMailDomain}").ToList();

        await Task.WhenAll(emails.Select((email, i) => (i % 2 == 0 ? auth : second).RegisterAsync(email)));

        await Eventually.UntilAsync(() => Task.FromResult(emails.Count(e => auth.MailTokens(e, "verify-email").Count > 0)),
            sent => sent == emails.Count, TimeSpan.FromSeconds(90), "a verification mail to every slow recipient");
        // Long enough for any redelivered copy (AckWait 2 s) to have been handled and mailed a second time.
        await Task.Delay(TimeSpan.FromSeconds(10));

        var counts = emails.Select(e => auth.MailTokens(e, "verify-email").Count).ToList();
        Assert.All(counts, count => Assert.Equal(1, count));
        // The one link that went out is the valid one.
        await auth.VerifyFromMailAsync(emails[0]);
    }

    [Fact]
    public async Task Handler_running_longer_than_AckWait_is_kept_alive_and_handled_once()
    {
        var journal = new SlowJournal();
        var subscription = $"slow-{Guid.NewGuid():N}"[..20];
        await using var host = await TestEventHost.StartAsync(fixture,
            bus => bus.AddSubscription<ProductCreated, SlowHandler>(subscription),
            new Dictionary<string, string?>
            {
                // 2 s, not 1: progress goes every AckWait/3, and on two shared cores a 700 ms stall (333 ms ticks) was
                // enough for a redelivery that said nothing about the keep-alive itself.
                ["Giia:Events:Consumers:AckWait"] = "00:00:02",
                ["Giia:Events:Consumers:HandlerTimeout"] = "00:00:15",
            },
            services => services.AddSingleton(journal));
        var jetStream = host.Services.GetRequiredService<INatsJSContext>();
        var organization = Guid.NewGuid();
        journal.SlowOrganizations[organization] = true;
        var envelope = EventWire.Envelope(EventWire.NewProduct(organization), organization);

        await EventWire.PublishAsync(jetStream, "catalog.product.created", envelope.ToUtf8Json(), envelope.Id);

        await Eventually.UntilAsync(() => Task.FromResult(journal.Finished(envelope.Id)), n => n > 0, TimeSpan.FromSeconds(30),
            "the slow handler to finish");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, journal.Started(envelope.Id)); // no redelivery while the first call ran 7 s, past a 2 s AckWait three times over
        Assert.Equal(1, journal.Finished(envelope.Id));
    }

    public sealed class SlowJournal
    {
        private readonly ConcurrentDictionary<string, int> started = new();
        private readonly ConcurrentDictionary<string, int> finished = new();

        /// <summary>Only this test's events are slow: the consumer also reads the stream's earlier product events.</summary>
        public ConcurrentDictionary<Guid, bool> SlowOrganizations { get; } = new();

        public void Start(string id) => started.AddOrUpdate(id, 1, (_, n) => n + 1);

        public void Finish(string id) => finished.AddOrUpdate(id, 1, (_, n) => n + 1);

        public int Started(string id) => started.GetValueOrDefault(id);

        public int Finished(string id) => finished.GetValueOrDefault(id);
    }

    public sealed class SlowHandler(SlowJournal journal) : IHandleEvent<ProductCreated>
    {
        public async Task HandleAsync(EventContext<ProductCreated> context, CancellationToken cancellationToken)
        {
            if (!journal.SlowOrganizations.ContainsKey(context.Data.OrganizationId))
            {
                return;
            }

            journal.Start(context.Envelope.Id);
            await Task.Delay(TimeSpan.FromSeconds(7), cancellationToken);
            journal.Finish(context.Envelope.Id);
        }
    }
}
