using System.Collections.Concurrent;
using System.Net;

using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

namespace Giia.Tests.Platform;

/// <summary>Catalog's permission checks are spread over every Auth replica, not pinned to one HTTP/2 connection.</summary>
[Collection(GiiaSystem.Name)]
public sealed class AuthLoadBalancingTests(GiiaAppFixture fixture)
{
    private const string CheckPermissionPath = "/auth.v1.AuthService/CheckPermission";
    private static readonly string[] Replicas = ["auth", "auth-2"];

    [Fact]
    public async Task Catalog_sends_permission_checks_to_both_Auth_replicas()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var password = await fixture.ParameterAsync("demo-password");
        var tokens = new List<string>();
        foreach (var role in new[] { "admin", "manager", "analyst", "viewer" })
        {
            tokens.Add((await auth.LoginAsync($"{role}@demo.giia.local", password)).AccessToken);
        }

        var served = new ConcurrentDictionary<string, int>();
        var logs = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        using var stop = new CancellationTokenSource();
        var watchers = Replicas.Select(replica => Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(replica).WithCancellation(stop.Token))
                {
                    served.AddOrUpdate(replica, batch.Count(l => l.Content.Contains(CheckPermissionPath, StringComparison.Ordinal)), (_, n) => n + batch.Count(l => l.Content.Contains(CheckPermissionPath, StringComparison.Ordinal)));
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();

        // What the replicas logged before (other tests' direct calls) is replayed first: count from here on.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = new Dictionary<string, int>(served);

        // Distinct users and rounds past Catalog's 1 s decision cache: every request is a check of its own.
        for (var round = 0; round < 3; round++)
        {
            foreach (var token in tokens)
            {
                Assert.Equal(HttpStatusCode.OK, (await catalog.GetAsync("/api/products?pageSize=1", token)).Status);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1100));
        }

        int Received(string replica) => served.GetValueOrDefault(replica) - before.GetValueOrDefault(replica);
        await Eventually.UntilAsync(() => Task.FromResult((Received("auth"), Received("auth-2"))),
            counts => counts.Item1 > 0 && counts.Item2 > 0 && counts.Item1 + counts.Item2 >= tokens.Count * 3,
            TimeSpan.FromSeconds(20), "both Auth replicas to have answered Catalog's checks");
        await stop.CancelAsync();
        await Task.WhenAll(watchers);
    }
}
