using System.Net;

using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>
/// Catalog's permission checks go to every Auth replica it is given, not to one pinned HTTP/2 connection: with either
/// replica away, each fresh check is answered by the other.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class AuthLoadBalancingTests(GiiaAppFixture fixture)
{
    [Theory]
    [InlineData("auth")]
    [InlineData("auth-2")]
    public async Task Catalog_keeps_answering_checks_while_one_Auth_replica_is_away(string stopped)
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var password = await fixture.ParameterAsync("demo-password");
        var tokens = new List<string>();
        foreach (var role in new[] { "admin", "manager", "analyst", "viewer" })
        {
            tokens.Add((await auth.LoginAsync($"{role}@demo.giia.local", password)).AccessToken);
        }

        // Catalog has Auth's signing keys before a replica goes (locally its metadata comes from the first replica; a
        // cluster's comes through the Service, from any pod).
        Assert.Equal(HttpStatusCode.OK, (await catalog.GetAsync("/api/products?pageSize=1", tokens[0])).Status);
        await fixture.StopResourceAsync(stopped);
        try
        {
            // Distinct users and rounds past Catalog's 1 s decision cache: every request is a check of its own.
            var statuses = new List<HttpStatusCode>();
            for (var round = 0; round < 3; round++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1100));
                foreach (var token in tokens)
                {
                    statuses.Add((await catalog.GetAsync("/api/products?pageSize=1", token)).Status);
                }
            }

            Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        }
        finally
        {
            await fixture.StartResourceAsync(stopped);
        }
    }
}
