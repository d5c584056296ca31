using Aspire.Hosting.Testing;

using Giia.Auth.Grpc.V1;
using Giia.Events;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Grpc.Net.Client;

namespace Giia.Benchmarks;

/// <summary>
/// Bytes one audited permission check costs in AUDIT_EVENTS: N CheckPermission calls by 16 concurrent callers (Auth
/// publishes the records of a write batch together, so the share of envelope and message overhead depends on the
/// rate), then the stream's growth in bytes and messages once every record has been published.
/// </summary>
public static class AuditSizeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var checks = new BenchArguments(args).Number("checks", 5_000);
        var fixture = new GiiaAppFixture();
        await fixture.InitializeAsync();
        try
        {
            using var auth = new AuthApi(fixture);
            var (admin, tokens) = await auth.RegisterVerifiedAsync();
            await using var nats = new NATS.Client.Core.NatsConnection(new NATS.Client.Core.NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
            var jetStream = new NATS.Client.JetStream.NatsJSContext(nats);
            await Task.Delay(TimeSpan.FromSeconds(3)); // earlier audit records (sign-up, login) reach the stream first
            var before = (await jetStream.GetStreamAsync(EventStreams.Audit)).Info.State;

            using var channel = GrpcChannel.ForAddress(fixture.App.GetEndpoint("auth", "grpc"));
            var client = new AuthService.AuthServiceClient(channel);
            var headers = AuthApi.Bearer(tokens.AccessToken);
            var check = new CheckPermissionRequest { UserId = admin.UserId.ToString(), OrganizationId = admin.OrganizationId.ToString(), Permission = "catalog:read" };
            await Parallel.ForAsync(0, checks, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
                await client.CheckPermissionAsync(check, headers, cancellationToken: ct));

            // Published once the writer has stored them: done when the stream has stopped growing for three seconds.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            var after = before;
            for (var quiet = 0; quiet < 6 && DateTime.UtcNow < deadline;)
            {
                await Task.Delay(500);
                var now = (await jetStream.GetStreamAsync(EventStreams.Audit)).Info.State;
                quiet = now.Messages == after.Messages && now.Messages > before.Messages ? quiet + 1 : 0;
                after = now;
            }

            var messages = after.Messages - before.Messages;
            var bytes = after.Bytes - before.Bytes;
            Console.WriteLine($"{checks:N0} checks: {messages:N0} audit messages, {bytes:N0} bytes, {(double)bytes / checks:N0} bytes per check in AUDIT_EVENTS");
            return 0;
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
