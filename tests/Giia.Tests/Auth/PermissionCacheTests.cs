using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Auth.Grpc.V1;
using Giia.Events;
using Giia.Tests.Events;
using Giia.Tests.Infrastructure;

using Grpc.Core;

using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Giia.Tests.Auth;

/// <summary>
/// The permission cache across two Auth replicas (auth and auth-2, one Redis): a change made through one is answered
/// by the other within a second, answers stay right with Redis stopped and after it returns, and every check is
/// audited (with request metadata, published in batch events, none dropped).
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class PermissionCacheTests(GiiaAppFixture fixture)
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);
    private static readonly string[] Probe = ["orders:write", "catalog:read", "catalog:delete"];
    private static readonly string[] AuthReplicas = ["auth", "auth-2"];
    private static readonly string[] BuyerPermissions = ["orders:write"];
    private static readonly string[] ReducedBuyerPermissions = ["catalog:read"];

    [Fact]
    public async Task A_revocation_or_role_change_through_one_replica_is_answered_by_the_other_within_a_second()
    {
        using var auth = new AuthApi(fixture);
        var member = await MemberWithBuyerRoleAsync(auth);
        using var replica2 = fixture.CreateGrpcChannel("auth-2");
        var client2 = new AuthService.AuthServiceClient(replica2);

        // Warm replica 2's cache, then revoke through replica 1.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await AllowedAsync(client2, member, "orders:write"));
        }

        using (var revoked = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{member.User}/roles/{member.Role}", member.AdminToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        await Eventually.UntilAsync(() => AllowedAsync(client2, member, "orders:write"), allowed => !allowed, Propagation,
            "replica 2 to deny orders:write after the role was revoked through replica 1");

        // Assigned again through replica 2 and warmed on replica 1; then the role itself loses the permission.
        using var replica2Api = new AuthApi(fixture, "auth-2");
        using (var assigned = await replica2Api.SendAsync(HttpMethod.Post, $"/api/users/{member.User}/roles", member.AdminToken, new { roleId = member.Role }))
        {
            Assert.Equal(HttpStatusCode.NoContent, assigned.StatusCode);
        }

        using var replica1 = fixture.CreateGrpcChannel("auth");
        var client1 = new AuthService.AuthServiceClient(replica1);
        await Eventually.UntilAsync(() => AllowedAsync(client1, member, "orders:write"), allowed => allowed, Propagation,
            "replica 1 to allow orders:write after the role was assigned through replica 2");

        using (var changed = await replica2Api.SendAsync(HttpMethod.Put, $"/api/roles/{member.Role}", member.AdminToken,
            new { name = "Buyer", permissions = ReducedBuyerPermissions }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        await Eventually.UntilAsync(() => AllowedAsync(client1, member, "orders:write"), allowed => !allowed, Propagation,
            "replica 1 to deny orders:write after the role lost it through replica 2");
    }

    [Fact]
    public async Task With_Redis_stopped_both_replicas_give_the_same_answers_and_changes_still_apply_at_once()
    {
        using var auth = new AuthApi(fixture);
        var member = await MemberWithBuyerRoleAsync(auth);
        using var channel1 = fixture.CreateGrpcChannel("auth");
        using var channel2 = fixture.CreateGrpcChannel("auth-2");
        AuthService.AuthServiceClient[] replicas = [new(channel1), new(channel2)];
        var granted = new Dictionary<string, bool> { ["orders:write"] = true, ["catalog:read"] = true, ["catalog:delete"] = false };
        foreach (var replica in replicas)
        {
            Assert.Equal(granted, await BatchAsync(replica, member));
        }

        try
        {
            await fixture.StopResourceAsync("redis");
            foreach (var service in AuthReplicas)
            {
                using var http = fixture.CreateHttpClient(service);
                // Auth serves correctly without Redis (it asks PostgreSQL), so the pod stays ready: Degraded, 200, Redis named.
                var (status, readiness) = await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(http),
                    r => ServiceProbes.Check(r.Body, "redis").GetProperty("status").GetString() == "Degraded",
                    TimeSpan.FromSeconds(60), $"{service} readiness to report Redis degraded");
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal("Degraded", readiness.GetProperty("status").GetString());
                Assert.False(string.IsNullOrEmpty(ServiceProbes.Check(readiness, "redis").GetProperty("description").GetString()));
                // Liveness never looks at dependencies: a restart would not bring Redis back.
                using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            }

            foreach (var replica in replicas)
            {
                Assert.Equal(granted, await BatchAsync(replica, member));
            }

            using (var revoked = await auth.SendAsync(HttpMethod.Delete, $"/api/users/{member.User}/roles/{member.Role}", member.AdminToken))
            {
                Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
            }

            granted["orders:write"] = false;
            foreach (var replica in replicas)
            {
                Assert.Equal(granted, await BatchAsync(replica, member));
            }
        }
        finally
        {
            await fixture.StartResourceAsync("redis");
        }

        foreach (var service in AuthReplicas)
        {
            using var http = fixture.CreateHttpClient(service);
            var (_, readiness) = await Eventually.UntilAsync(() => ServiceProbes.ReadinessAsync(http), r => r.Status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60), $"{service} readiness to recover once Redis is back");
            Assert.Equal("Healthy", ServiceProbes.Check(readiness, "redis").GetProperty("status").GetString());
        }

        // Back with Redis: what was cached before the outage must not resurface.
        foreach (var replica in replicas)
        {
            Assert.Equal(granted, await BatchAsync(replica, member));
        }

        using (var assigned = await auth.PostAsync($"/api/users/{member.User}/roles", new { roleId = member.Role }, member.AdminToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, assigned.StatusCode);
        }

        granted["orders:write"] = true;
        foreach (var replica in replicas)
        {
            await Eventually.UntilAsync(() => BatchAsync(replica, member), answers => answers.Count == granted.Count && answers.All(a => granted[a.Key] == a.Value), Propagation,
                "both replicas to see the new assignment once Redis is back");
        }
    }

    [Fact]
    public async Task Every_check_is_audited_with_request_metadata_published_once_in_a_batch_event_and_none_is_dropped()
    {
        using var auth = new AuthApi(fixture);
        var member = await MemberWithBuyerRoleAsync(auth);
        var requestId = $"req-{Guid.NewGuid():N}";
        using var channel = fixture.CreateGrpcChannel("auth-2");
        var client = new AuthService.AuthServiceClient(channel);
        var headers = new Metadata { { "authorization", $"Bearer {member.Token}" }, { "x-request-id", requestId } };
        foreach (var permission in Probe)
        {
            await client.CheckPermissionAsync(new CheckPermissionRequest
            {
                UserId = member.User.ToString(),
                OrganizationId = member.Organization.ToString(),
                Permission = permission,
            }, headers);
        }

        var records = await Eventually.UntilAsync(async () =>
            {
                using var response = await auth.GetAsync($"/api/audit-logs?action=permission.check&userId={member.User}&pageSize=100", member.AdminToken);
                var page = await response.Content.ReadFromJsonAsync<JsonElement>();
                return page.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("requestId").GetString() == requestId).ToList();
            }, found => found.Count == Probe.Length, TimeSpan.FromSeconds(10), "the three checks in the audit log");
        Assert.Equal(Probe.Order(), records.Select(r => r.GetProperty("resource").GetString()!).Order());
        Assert.Equal(["allowed", "allowed", "denied"], records.OrderBy(r => r.GetProperty("resource").GetString() == "catalog:delete")
            .Select(r => r.GetProperty("result").GetString()));
        Assert.All(records, r =>
        {
            Assert.False(string.IsNullOrEmpty(r.GetProperty("ipAddress").GetString()));
            Assert.StartsWith("grpc-dotnet", r.GetProperty("userAgent").GetString(), StringComparison.Ordinal);
        });

        var ids = records.Select(r => r.GetProperty("id").GetString()).ToHashSet();
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        // Published in batches of the organization's records: each record once, with the same fields as in the log.
        var published = await Eventually.UntilAsync(async () => (await EventWire.ReadAllAsync(jetStream, EventStreams.Audit, "audit.auth.checks_recorded"))
                .Select(m => EventWire.Parse(m).Data)
                .Where(batch => batch.GetProperty("organization_id").GetString() == member.Organization.ToString())
                .SelectMany(batch => batch.GetProperty("records").EnumerateArray())
                .Where(r => ids.Contains(r.GetProperty("audit_id").GetString()))
                .ToList(),
            found => found.Count >= ids.Count, TimeSpan.FromSeconds(10), "every check's record in an audit.checks_recorded event");
        Assert.Equal(ids.Order(), published.Select(r => r.GetProperty("audit_id").GetString()).Order());
        Assert.All(published, r =>
        {
            var logged = records.Single(l => l.GetProperty("id").GetString() == r.GetProperty("audit_id").GetString());
            Assert.Equal("permission.check", r.GetProperty("action").GetString());
            Assert.Equal(logged.GetProperty("resource").GetString(), r.GetProperty("resource").GetString());
            Assert.Equal(logged.GetProperty("result").GetString(), r.GetProperty("result").GetString());
            Assert.Equal(requestId, r.GetProperty("request_id").GetString());
            Assert.Equal(member.User.ToString(), r.GetProperty("user_id").GetString());
        });
        var singles = (await EventWire.ReadAllAsync(jetStream, EventStreams.Audit, "audit.auth.recorded"))
            .Select(m => EventWire.Parse(m).Data.GetProperty("audit_id").GetString()).ToHashSet();
        Assert.DoesNotContain(ids, singles.Contains);

        foreach (var replica in AuthReplicas)
        {
            using var http = fixture.CreateHttpClient(replica);
            var (_, readiness) = await ServiceProbes.ReadinessAsync(http);
            var audit = ServiceProbes.Check(readiness, "audit");
            Assert.Equal(0, audit.GetProperty("data").GetProperty("dropped").GetInt64());
        }
    }

    private sealed record Member(Guid User, Guid Organization, string Token, Guid Role, string AdminToken);

    /// <summary>A fresh organization; its Viewer member also holds a custom role "Buyer" granting orders:write.</summary>
    private static async Task<Member> MemberWithBuyerRoleAsync(AuthApi auth)
    {
        var (admin, adminTokens) = await auth.RegisterVerifiedAsync();
        var (user, tokens) = await auth.InviteAndSignInAsync(adminTokens.AccessToken, "Viewer");
        Guid role;
        using (var created = await auth.PostAsync("/api/roles", new { name = "Buyer", permissions = BuyerPermissions }, adminTokens.AccessToken))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            role = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        using (var assigned = await auth.PostAsync($"/api/users/{user}/roles", new { roleId = role }, adminTokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, assigned.StatusCode);
        }

        return new Member(user, admin.OrganizationId, tokens.AccessToken, role, adminTokens.AccessToken);
    }

    private static async Task<bool> AllowedAsync(AuthService.AuthServiceClient client, Member member, string permission) =>
        (await client.CheckPermissionAsync(new CheckPermissionRequest
        {
            UserId = member.User.ToString(),
            OrganizationId = member.Organization.ToString(),
            Permission = permission,
        }, AuthApi.Bearer(member.Token))).Allowed;

    private static async Task<Dictionary<string, bool>> BatchAsync(AuthService.AuthServiceClient client, Member member)
    {
        var response = await client.BatchCheckPermissionsAsync(new BatchCheckPermissionsRequest
        {
            UserId = member.User.ToString(),
            OrganizationId = member.Organization.ToString(),
            Permissions = { Probe },
        }, AuthApi.Bearer(member.Token));
        return response.Results.ToDictionary(r => r.Key, r => r.Value);
    }

}
