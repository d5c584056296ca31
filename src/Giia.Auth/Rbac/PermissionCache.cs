using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;

using Giia.Auth.Invalidation;
using Giia.ServiceDefaults;

using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;

using StackExchange.Redis;

using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace Giia.Auth.Rbac;

public sealed class PermissionCacheOptions
{
    public const string SectionName = "Giia:PermissionCache";

    /// <summary>How long a node keeps a permission set in memory: only the safety net for a lost eviction message.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MemoryDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a permission set stays in Redis (the spec's 5 minutes); its key changes whenever it could.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DistributedDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a node trusts its in-memory copy of a version stamp when no eviction message arrives.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan VersionMemoryDuration { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>A user's effective permissions in one organization; <see cref="Member"/> is false for a user who is not an active member.</summary>
public sealed class PermissionSet
{
    public static readonly PermissionSet None = new() { Member = false };

    /// <summary>What a user of a suspended organization holds: nothing, with that reason.</summary>
    public static readonly PermissionSet OfSuspended = new() { Member = false, Suspended = true };

    public bool Suspended { get; init; }

    public bool Member { get; init; }

    public HashSet<string> Names { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Effective permission sets in memory and in Redis (FusionCache with its Redis backplane), never stale for longer
/// than an eviction message takes to cross Redis. Every key carries three version stamps (global, organization, user);
/// a change replaces the stamp it touches, and the backplane evicts that stamp from every node's memory, so the next
/// check on any node reads a key nobody has filled yet and goes to the database. Keys are never overwritten, so a
/// read that raced with a change can only fill a key that is already out of use.
/// When this node cannot reach Redis the cache is bypassed (every check asks the database) because eviction messages
/// cannot reach it either; when the connection comes back the global stamp is replaced, retiring everything cached
/// before, since changes made meanwhile may have missed it.
/// </summary>
public sealed partial class PermissionCache : IHostedService
{
    /// <summary>What FusionCache puts before every key of Auth's (in memory and in Redis).</summary>
    public const string KeyPrefix = "giia:auth:";

    private const string GlobalVersionKey = "perm-ver:global";

    /// <summary>
    /// A removal from this node's memory alone: no Redis write (<c>SkipDistributedCacheWrite</c>, so not queued for
    /// auto-recovery either) and no backplane message (<c>SkipBackplaneNotifications</c>).
    /// </summary>
    private static readonly FusionCacheEntryOptions LocalOnly = new FusionCacheEntryOptions().SetSkipDistributedCache(true, skipBackplaneNotifications: true);

    private readonly IFusionCache cache;
    private readonly IConnectionMultiplexer redis;
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<PermissionCache> logger;
    private readonly FusionCacheEntryOptions versionRead;
    private readonly FusionCacheEntryOptions versionWrite;
    private readonly FusionCacheEntryOptions setEntry;
    private readonly Counter<long> lookups;
    private readonly TimeProvider time;

    public PermissionCache(IFusionCache cache, IConnectionMultiplexer redis, IServiceScopeFactory scopes, IOptions<PermissionCacheOptions> options,
        IMeterFactory meters, TimeProvider time, ILogger<PermissionCache> logger)
    {
        this.time = time;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        this.cache = cache;
        this.redis = redis;
        this.scopes = scopes;
        this.logger = logger;
        var settings = options.Value;
        // A stamp made on a first read needs no eviction message: a node holding another first stamp only has other keys.
        versionRead = new FusionCacheEntryOptions(settings.VersionMemoryDuration)
        {
            DistributedCacheDuration = TimeSpan.FromHours(12),
            SkipBackplaneNotifications = true,
            AllowBackgroundDistributedCacheOperations = true,
        };
        // A change's response waits until Redis has the new stamp and the eviction is published.
        versionWrite = versionRead.Duplicate();
        versionWrite.SkipBackplaneNotifications = false;
        versionWrite.AllowBackgroundDistributedCacheOperations = false;
        versionWrite.AllowBackgroundBackplaneOperations = false;
        // Sets live under immutable keys: no node can hold another value for them, so no eviction message is needed.
        setEntry = new FusionCacheEntryOptions(settings.MemoryDuration)
        {
            DistributedCacheDuration = settings.DistributedDuration,
            SkipBackplaneNotifications = true,
            AllowBackgroundDistributedCacheOperations = true,
        };
        lookups = meters.Create(GiiaTelemetry.MeterName).CreateCounter<long>("giia.permissions.lookups", "{lookup}",
            "Permission-set lookups by outcome: cached, loaded (database, after a miss) or bypassed (Redis unreachable)");
    }

    public async Task<PermissionSet> GetAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            lookups.Add(1, new KeyValuePair<string, object?>("outcome", "bypassed"));
            return await LoadAsync(userId, organizationId, cancellationToken);
        }

        var global = await VersionAsync(GlobalVersionKey, cancellationToken);
        var organization = await VersionAsync(OrganizationVersionKey(organizationId), cancellationToken);
        var user = await VersionAsync(UserVersionKey(userId), cancellationToken);
        var loaded = false;
        var set = await cache.GetOrSetAsync<PermissionSet>($"perm:{organizationId:N}:{userId:N}:{global}.{organization}.{user}",
            async (_, ct) =>
            {
                loaded = true;
                return await LoadAsync(userId, organizationId, ct);
            }, setEntry, cancellationToken);
        lookups.Add(1, new KeyValuePair<string, object?>("outcome", loaded ? "loaded" : "cached"));
        return set;
    }

    /// <summary>
    /// Whether an access token's session is live: not ended (logout, revoked, password changed, deactivated) and not
    /// past its idle or absolute end. Remembered under the user's version stamp, which every ending replaces, so an
    /// ended session is refused by every instance at once. An ended session stays ended (remembered as such); a
    /// remembered end that has passed is read again, since a refresh may have moved it.
    /// </summary>
    public async Task<bool> IsSessionLiveAsync(Guid userId, Guid sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!redis.IsConnected)
        {
            lookups.Add(1, new KeyValuePair<string, object?>("outcome", "bypassed"));
            return await LoadSessionEndAsync(userId, sessionId, now, cancellationToken) > now;
        }

        var global = await VersionAsync(GlobalVersionKey, cancellationToken);
        var user = await VersionAsync(UserVersionKey(userId), cancellationToken);
        var key = $"sess:{userId:N}:{sessionId:N}:{global}.{user}";
        var end = await cache.GetOrSetAsync<DateTimeOffset>(key, (_, ct) => LoadSessionEndAsync(userId, sessionId, now, ct), setEntry, cancellationToken);
        if (end > now)
        {
            return true;
        }

        if (end == Ended)
        {
            return false;
        }

        end = await LoadSessionEndAsync(userId, sessionId, now, cancellationToken);
        await cache.SetAsync(key, end, setEntry, cancellationToken);
        return end > now;
    }

    /// <summary>Null when the token's session is live; otherwise why not (a token without a session is refused too).</summary>
    public async Task<string?> IsLiveAsync(System.Security.Claims.ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        Claims.UserIdOf(principal) is not { } userId || Claims.SessionOf(principal) is not { } sessionId
            ? "the token names no user or session"
            : await IsSessionLiveAsync(userId, sessionId, cancellationToken) ? null : SessionEndedReason;

    public const string SessionEndedReason = "the session has ended (signed out, revoked, expired or the password changed)";

    /// <summary>What an ended (or unknown, or expired) session is remembered as: it never becomes live again.</summary>
    private static readonly DateTimeOffset Ended = DateTimeOffset.MinValue;

    private async Task<DateTimeOffset> LoadSessionEndAsync(Guid userId, Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var end = await scope.ServiceProvider.GetRequiredService<PermissionService>().SessionEndAsync(userId, sessionId, cancellationToken);
        return end is { } live && live > now ? live : Ended;
    }

    /// <summary>Retires every cached set of these users and organizations (a null organization: every organization).</summary>
    public async Task InvalidateAsync(IReadOnlyCollection<Guid> users, IReadOnlyCollection<Guid?> organizations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(organizations);
        if (!redis.IsConnected)
        {
            // Every node that cannot reach Redis bypasses the cache, and reconnection retires it all (see above).
            return;
        }

        try
        {
            foreach (var key in VersionKeys(users, organizations))
            {
                // When Redis is away FusionCache queues the write and replays it on reconnection (auto-recovery).
                await cache.SetAsync(key, NewVersion(), versionWrite, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogInvalidationFailed(logger, ex);
        }
    }

    /// <summary>
    /// Drops this node's memory copies of the version stamps of these users and organizations (a null organization:
    /// the global stamp), so that its next read of each goes to Redis; Redis and the other nodes are left alone. For
    /// a change another node has already written to Redis (its invalidation notice can arrive before the backplane's
    /// eviction message).
    /// </summary>
    public async Task ForgetLocalCopiesAsync(IEnumerable<Guid> users, IEnumerable<Guid?> organizations, CancellationToken cancellationToken = default)
    {
        foreach (var key in VersionKeys(users, organizations))
        {
            await cache.RemoveAsync(key, LocalOnly, cancellationToken);
        }
    }

    /// <summary>The keys of the version stamps of these users and organizations (a null organization: the global stamp).</summary>
    public static IEnumerable<string> VersionKeys(IEnumerable<Guid> users, IEnumerable<Guid?> organizations)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(organizations);
        return users.Select(UserVersionKey)
            .Concat(organizations.Select(o => o is { } id ? OrganizationVersionKey(id) : GlobalVersionKey))
            .Distinct();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnConnectionRestored;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnConnectionRestored;
        return Task.CompletedTask;
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        LogRestored(logger, e.ConnectionType);
        _ = Task.Run(async () =>
        {
            try
            {
                await InvalidateAsync([], [null]);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
            {
                LogRestoreFailed(logger, ex);
            }
        });
    }

    private async Task<string> VersionAsync(string key, CancellationToken cancellationToken) =>
        await cache.GetOrSetAsync(key, _ => Task.FromResult(NewVersion()), versionRead, cancellationToken) ?? "";

    private async Task<PermissionSet> LoadAsync(Guid userId, Guid organizationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<PermissionService>();
        return await store.LoadAsync(userId, organizationId, cancellationToken);
    }

    private static string UserVersionKey(Guid userId) => $"perm-ver:user:{userId:N}";

    private static string OrganizationVersionKey(Guid organizationId) => $"perm-ver:org:{organizationId:N}";

    private static string NewVersion() => Guid.NewGuid().ToString("N")[..12];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not replace permission version stamps in Redis; other nodes' memory copies expire on their own")]
    private static partial void LogInvalidationFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis connection ({ConnectionType}) restored: retiring every cached permission set")]
    private static partial void LogRestored(ILogger logger, ConnectionType connectionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not retire cached permission sets after Redis came back; memory copies expire on their own")]
    private static partial void LogRestoreFailed(ILogger logger, Exception exception);
}

public static class PermissionCacheExtensions
{
    /// <summary>FusionCache over the service's Redis connection (second level and backplane) for permission sets.</summary>
    public static TBuilder AddPermissionCache<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<PermissionCacheOptions>(PermissionCacheOptions.SectionName);
        builder.Services.AddFusionCache()
            .WithCacheKeyPrefix(PermissionCache.KeyPrefix)
            .WithOptions(options =>
            {
                // Fail fast to the database rather than wait on a Redis that does not answer.
                options.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(2);
                options.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(2);
                // Option adjustments are by design here (short memory, longer Redis); not worth a log line per call.
                options.IncoherentOptionsNormalizationLogLevel = LogLevel.Debug;
            })
            .WithSerializer(new FusionCacheSystemTextJsonSerializer())
            .WithDistributedCache(services => new RedisCache(
                Options.Create(new RedisCacheOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()),
                })))
            .WithBackplane(services => new RedisBackplane(
                Options.Create(new RedisBackplaneOptions
                {
                    ConnectionMultiplexerFactory = () => Task.FromResult(services.GetRequiredService<IConnectionMultiplexer>()),
                }),
                services.GetRequiredService<ILogger<RedisBackplane>>()));
        builder.Services.AddSingleton<PermissionCache>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PermissionCache>());
        // A singleton (a pooled context's options are built once, from the root provider); what it uses is resolved on
        // its first change (the migrate command builds contexts without Redis or NATS). The publisher is Auth's: a host
        // with the cache alone (the benchmarks') tells nobody.
        builder.Services.AddSingleton(services => new PermissionChangeInterceptor(
            new Lazy<PermissionCache>(services.GetRequiredService<PermissionCache>),
            new Lazy<InvalidationPublisher?>(services.GetService<InvalidationPublisher>),
            services.GetRequiredService<ILogger<PermissionChangeInterceptor>>()));
        builder.Services.ConfigureDbContext<Data.AuthDbContext>((services, options) =>
            services.GetRequiredService<PermissionChangeInterceptor>().AddTo(options));
        return builder;
    }
}
