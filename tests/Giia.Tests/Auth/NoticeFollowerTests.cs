extern alias authservice;

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

using authservice::Giia.Auth.Rbac;

using Giia.Auth.Client.Invalidation;
using Giia.Auth.Grpc.V1;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;

using NATS.Client.Core;

using Npgsql;

using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Giia.Tests.Auth;

/// <summary>
/// Each Auth instance applies the other instances' invalidation notices to its own memory copies of the version stamps,
/// so it knows a change no later than the services that evict on the same notice and ask it again.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class NoticeFollowerTests(GiiaAppFixture fixture)
{
    /// <summary>
    /// Far below what the memory copy of a stamp lives without an eviction (10 s), far above a notice's trip (milliseconds).
    /// </summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    /// <summary>How Auth writes a changed stamp (12 h in Redis), here straight to Redis: no memory, and no backplane to notify.</summary>
    private static readonly FusionCacheEntryOptions StampWrite = new FusionCacheEntryOptions(TimeSpan.FromSeconds(10))
    {
        DistributedCacheDuration = TimeSpan.FromHours(12),
        AllowBackgroundDistributedCacheOperations = false,
        ReThrowDistributedCacheExceptions = true,
    }.SetSkipMemoryCache(true);

    [Fact]
    public async Task An_instance_the_backplane_has_not_told_refuses_an_ended_session_as_soon_as_the_notice_arrives()
    {
        using var auth = new AuthApi(fixture);
        var (account, tokens) = await auth.RegisterVerifiedAsync();
        // Answered by the first instance, which makes the user's version stamp and writes it to Redis (in the background).
        var session = await CurrentSessionAsync(auth, tokens.AccessToken);
        var stampKey = Assert.Single(PermissionCache.VersionKeys([account.UserId], []));

        using var redis = new RedisCache(Options.Create(new RedisCacheOptions { Configuration = await fixture.ConnectionStringAsync("redis") }));
        using var stamps = new FusionCache(new FusionCacheOptions { CacheKeyPrefix = PermissionCache.KeyPrefix });
        stamps.SetupDistributedCache(redis, new FusionCacheSystemTextJsonSerializer());
        await Eventually.UntilAsync(async () => (await stamps.TryGetAsync<string>(stampKey, StampWrite)).HasValue, found => found,
            TimeSpan.FromSeconds(10), "the first instance's version stamp of the user in Redis");

        // The second instance reads that stamp into its memory (10 s) and remembers the session as live under it.
        using var channel = fixture.CreateGrpcChannel("auth-2");
        var auth2 = new AuthService.AuthServiceClient(channel);
        for (var i = 0; i < 2; i++)
        {
            Assert.True((await ValidateAsync(auth2, tokens.AccessToken)).Valid);
        }

        // What a logout does, without the backplane: the session ends in the database and the user's stamp is replaced
        // in Redis, but no eviction message is sent, so the second instance keeps answering from its memory copy.
        await EndInDatabaseAsync(account.UserId, session);
        await stamps.SetAsync(stampKey, Guid.NewGuid().ToString("N")[..12], StampWrite);
        var before = await ValidateAsync(auth2, tokens.AccessToken);
        Assert.True(before.Valid, $"auth-2 learnt of the change before any notice ({before.Error}): the premise of this test does not hold");

        // Then the notice, as Auth publishes it, and a goodbye, so the services stop waiting for this publisher's heartbeats.
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var publisher = Guid.NewGuid();
        await PublishAsync(nats, new InvalidationNotice(InvalidationKinds.Session, publisher, 1, UserId: account.UserId, SessionId: session));
        var clock = Stopwatch.StartNew();
        await PublishAsync(nats, new InvalidationNotice(InvalidationKinds.Goodbye, publisher, 1));

        ValidateTokenResponse after;
        while (true)
        {
            after = await ValidateAsync(auth2, tokens.AccessToken);
            if (!after.Valid || clock.Elapsed > Bound)
            {
                break;
            }

            await Task.Delay(10);
        }

        Assert.False(after.Valid, $"auth-2 still took the ended session {clock.ElapsedMilliseconds} ms after the notice: it did not apply it to its version stamps");
        Assert.Contains("session has ended", after.Error, StringComparison.Ordinal);
    }

    private static async Task<ValidateTokenResponse> ValidateAsync(AuthService.AuthServiceClient client, string accessToken) =>
        await client.ValidateTokenAsync(new ValidateTokenRequest { Token = accessToken });

    private async Task EndInDatabaseAsync(Guid user, Guid session)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'test' WHERE user_id = @user AND family_id = @session AND revoked_at IS NULL",
            connection);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("session", session);
        Assert.True(await command.ExecuteNonQueryAsync() > 0, "the session's refresh tokens");
    }

    private static async Task PublishAsync(NatsConnection nats, InvalidationNotice notice)
    {
        await nats.PublishAsync(InvalidationSubjects.For(notice.Kind), JsonSerializer.SerializeToUtf8Bytes(notice, InvalidationJson.Default.InvalidationNotice));
        await nats.PingAsync();
    }

    private static async Task<Guid> CurrentSessionAsync(AuthApi auth, string accessToken)
    {
        using var sessions = await auth.GetAsync("/api/auth/sessions", accessToken);
        var list = await sessions.Content.ReadFromJsonAsync<JsonElement>();
        return list.EnumerateArray().Single(s => s.GetProperty("current").GetBoolean()).GetProperty("id").GetGuid();
    }
}
