extern alias service;

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

using Giia.Data;
using Giia.Events;
using Giia.Redis;
using Giia.ServiceDefaults;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using service::Giia.Auth.Audit;
using service::Giia.Auth.Data;
using service::Giia.Auth.Rbac;

namespace Giia.Benchmarks;

/// <summary>
/// The spec's CheckPermission_Cached and CheckPermission_Uncached, on Auth's own check (<see cref="PermissionChecks"/>:
/// version stamps, cache, decision) with the real Redis and PostgreSQL the AppHost starts, in this process.
/// Uncached retires the user's cached set before each call (outside the measurement), so each call misses memory and
/// Redis and reads the database.
/// </summary>
public abstract class PermissionCheckBenchmarks
{
    private static IHost? host;
    private static Guid userId;
    private static Guid organizationId;

    private PermissionChecks checks = null!;
    private PermissionCache cache = null!;
    private readonly RequestMetadata request = new("127.0.0.1", "benchmark", "bench");

    public static async Task<int> RunAsync()
    {
        var fixture = new GiiaAppFixture();
        await fixture.InitializeAsync();
        try
        {
            using var auth = new AuthApi(fixture);
            var (admin, _) = await auth.RegisterVerifiedAsync();
            (userId, organizationId) = (admin.UserId, admin.OrganizationId);
            host = await StartChecksHostAsync(fixture);
            BenchmarkRunner.Run([typeof(CachedPermissionCheckBenchmark), typeof(UncachedPermissionCheckBenchmark)]);
            return 0;
        }
        finally
        {
            if (host is not null)
            {
                await host.StopAsync();
                host.Dispose();
            }

            await fixture.DisposeAsync();
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        checks = host!.Services.GetRequiredService<PermissionChecks>();
        cache = host.Services.GetRequiredService<PermissionCache>();
    }

    protected PermissionChecks Checks => checks;

    protected PermissionCache Cache => cache;

    protected static Guid UserId => userId;

    protected static Guid OrganizationId => organizationId;

    protected RequestMetadata Request => request;

    /// <summary>Auth's permission services (as Auth registers them) over the AppHost's authdb and Redis.</summary>
    private static async Task<IHost> StartChecksHostAsync(GiiaAppFixture fixture)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Giia.Bench", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:authdb"] = await fixture.ConnectionStringAsync("authdb"),
            ["ConnectionStrings:redis"] = await fixture.ConnectionStringAsync("redis"),
            ["ConnectionStrings:nats"] = await fixture.ConnectionStringAsync("nats"),
            // Recording every check would leave hundreds of thousands of audit rows and events for the writer and the
            // relay to store behind the measurement, on the same two cores; the gRPC load run measures with them.
            ["Giia:Audit:PermissionChecks"] = "false",
        });
        builder.AddServiceDatabase<HostApplicationBuilder, AuthDbContext>("authdb");
        builder.AddServiceRedis("redis");
        builder.AddPermissionCache();
        builder.AddEventBus().AddOutbox<AuthDbContext>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PermissionCheckAudit>());
        builder.Services.AddScoped<PermissionService>();
        builder.Services.AddValidatedOptions<AuditOptions>(AuditOptions.SectionName);
        builder.Services.AddSingleton<PermissionCheckAudit>();
        builder.Services.AddSingleton<PermissionChecks>();
        builder.Services.AddSingleton(TimeProvider.System);
        var built = builder.Build();
        await built.StartAsync();
        return built;
    }
}

[Config(typeof(InProcessConfig))]
public class CachedPermissionCheckBenchmark : PermissionCheckBenchmarks
{
    [Benchmark(Description = "CheckPermission_Cached")]
    public Task<PermissionDecision> CheckPermissionCached() =>
        Checks.CheckAsync(UserId, OrganizationId, "catalog:read", Request, CancellationToken.None);
}

/// <summary>One call per iteration: the set is retired before each, outside the measured call.</summary>
[Config(typeof(SingleCallConfig))]
public class UncachedPermissionCheckBenchmark : PermissionCheckBenchmarks
{
    [IterationSetup]
    public void RetireCachedSet() => Cache.InvalidateAsync([UserId], []).GetAwaiter().GetResult();

    [Benchmark(Description = "CheckPermission_Uncached")]
    public Task<PermissionDecision> CheckPermissionUncached() =>
        Checks.CheckAsync(UserId, OrganizationId, "catalog:read", Request, CancellationToken.None);
}

/// <summary>In this process (the AppHost and the services' host live here), short: the operation takes microseconds.</summary>
public sealed class InProcessConfig : ManualConfig
{
    public InProcessConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15));
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}

public sealed class SingleCallConfig : ManualConfig
{
    public SingleCallConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(300)
            .WithInvocationCount(1).WithUnrollFactor(1));
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
