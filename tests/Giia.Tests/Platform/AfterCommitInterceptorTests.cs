using System.Collections.Concurrent;

using Giia.Data;
using Giia.ServiceDefaults;
using Giia.Tests.Infrastructure;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

using Npgsql;

namespace Giia.Tests.Platform;

/// <summary>
/// The after-commit base of the outbox signal and the permission invalidation, on real PostgreSQL and a pool of one
/// context (so every lease gets the same instance): the action runs once per commit with exactly what that commit
/// wrote, never for what a rollback, a failed save or an abandoned transaction left behind.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class AfterCommitInterceptorTests(GiiaAppFixture fixture) : IAsyncLifetime
{
    private readonly string database = $"after_commit_{Guid.NewGuid():N}";
    private string server = "";
    private ServiceProvider services = null!;

    private Recorder Recorded => services.GetRequiredService<Recorder>();

    public async Task InitializeAsync()
    {
        server = await fixture.ConnectionStringAsync("catalogdb");
        await ExecuteAsync(server, $"CREATE DATABASE \"{database}\"");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        await ExecuteAsync(connectionString, "CREATE TABLE probes (id uuid PRIMARY KEY, name text NOT NULL)");
        services = new ServiceCollection()
            .AddSingleton<Recorder>()
            .AddDbContextPool<ProbeContext>((provider, options) =>
            {
                options.UseNpgsql(connectionString);
                provider.GetRequiredService<Recorder>().AddTo(options);
            }, poolSize: 1)
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    [Fact]
    public async Task Explicit_transaction_runs_the_action_once_after_its_commit_with_every_save_of_it()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Add(Probe.Named("a"));
        await db.SaveChangesAsync();
        db.Add(Probe.Named("b"));
        await db.SaveChangesAsync();
        Assert.Empty(Recorded.Batches); // saved, not committed

        await transaction.CommitAsync();

        Assert.Equal(["a+b"], Recorded.Batches);
    }

    [Fact]
    public async Task Rollback_discards_what_was_saved_in_the_transaction()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Add(Probe.Named("rolled-back"));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        db.ChangeTracker.Clear();
        db.Add(Probe.Named("after"));
        await db.SaveChangesAsync();

        Assert.Equal(["after"], Recorded.Batches);
    }

    [Fact]
    public async Task SaveChanges_without_explicit_transaction_runs_the_action_after_its_own_commit()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
        db.Add(Probe.Named("one"));
        await db.SaveChangesAsync();
        // Several statements: EF commits a transaction of its own, inside SaveChanges.
        db.AddRange(Probe.Named("two"), Probe.Named("three"));
        await db.SaveChangesAsync();
        // Nothing of interest saved: nothing runs.
        await db.SaveChangesAsync();

        Assert.Equal(["one", "three+two"], Recorded.Batches);
    }

    [Fact]
    public async Task Synchronous_SaveChanges_runs_the_action_without_blocking_on_it()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
        db.Add(Probe.Named("sync"));
        db.SaveChanges();

        await Eventually.UntilAsync(() => Task.FromResult(Recorded.Batches.ToList()), b => b.Count > 0, TimeSpan.FromSeconds(10),
            "the action after a synchronous save");
        Assert.Equal(["sync"], Recorded.Batches);
    }

    [Fact]
    public async Task Failed_save_discards_what_it_noted()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
        var probe = Probe.Named("first");
        db.Add(probe);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        db.Add(new Probe { Id = probe.Id, Name = "duplicate" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.Add(Probe.Named("next"));
        await db.SaveChangesAsync();

        Assert.Equal(["first", "next"], Recorded.Batches);
    }

    [Fact]
    public async Task Pooled_context_reused_after_a_rollback_or_an_abandoned_transaction_carries_nothing_over()
    {
        ProbeContext first;
        await using (var scope = services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<ProbeContext>();
            await using var rolledBack = await first.Database.BeginTransactionAsync();
            first.Add(Probe.Named("rolled-back"));
            await first.SaveChangesAsync();
            await rolledBack.RollbackAsync();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
            Assert.Same(first, db);
            // Left open: disposing the lease rolls it back without any rollback event to discard on.
            var abandoned = await db.Database.BeginTransactionAsync();
            db.Add(Probe.Named("abandoned"));
            await db.SaveChangesAsync();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
            Assert.Same(first, db);
            db.Add(Probe.Named("reused"));
            await db.SaveChangesAsync();
        }

        Assert.Equal(["reused"], Recorded.Batches);
    }

    [Fact]
    public async Task Transaction_disposed_without_commit_leaves_nothing_to_the_next_one_on_the_same_lease()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProbeContext>();
        await using (var abandoned = await db.Database.BeginTransactionAsync())
        {
            db.Add(Probe.Named("abandoned"));
            await db.SaveChangesAsync();
        }

        db.ChangeTracker.Clear();
        await using (var committed = await db.Database.BeginTransactionAsync())
        {
            db.Add(Probe.Named("committed"));
            await db.SaveChangesAsync();
            await committed.CommitAsync();
        }

        Assert.Equal(["committed"], Recorded.Batches);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Records each after-commit run as the names of the probes it was given, sorted and joined.</summary>
    private sealed class Recorder() : AfterCommitInterceptor<List<string>>(NullLogger.Instance)
    {
        private readonly ConcurrentQueue<string> batches = new();

        public IReadOnlyCollection<string> Batches => batches;

        protected override void Collect(DbContext context, Func<List<string>> pending)
        {
            foreach (var entry in context.ChangeTracker.Entries<Probe>().Where(e => e.State == EntityState.Added))
            {
                pending().Add(entry.Entity.Name);
            }
        }

        protected override Task AfterCommitAsync(List<string> pending)
        {
            batches.Enqueue(string.Join('+', pending.Order(StringComparer.Ordinal)));
            return Task.CompletedTask;
        }
    }

    private sealed class ProbeContext(DbContextOptions<ProbeContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<Probe>(probe =>
            {
                probe.ToTable("probes");
                probe.Property(p => p.Id).HasColumnName("id");
                probe.Property(p => p.Name).HasColumnName("name");
            });
    }

    private sealed class Probe
    {
        public Guid Id { get; init; }

        public required string Name { get; init; }

        public static Probe Named(string name) => new() { Id = Guid.NewGuid(), Name = name };
    }
}
