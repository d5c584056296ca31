extern alias authservice;

using authservice::Giia.Auth.Accounts;

using Microsoft.Extensions.Options;

namespace Giia.UnitTests;

public sealed class PasswordHasherTests
{
    [Fact]
    public async Task A_crowd_of_hashes_runs_at_most_the_configured_number_at_once_and_each_verifies()
    {
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions { ConcurrentHashes = 2 }));

        var hashes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => hasher.HashAsync($"passphrase number {i}", CancellationToken.None))));
        var checks = await Task.WhenAll(hashes.Select((hash, i) => hasher.VerifyAsync($"passphrase number {i}", hash, CancellationToken.None)));

        Assert.InRange(hasher.PeakRunning, 1, 2);
        Assert.All(checks, c => Assert.Equal(new PasswordCheck(true, false), c));
        Assert.False((await hasher.VerifyAsync("another passphrase", hashes[0], CancellationToken.None)).Matches);
    }

    [Fact]
    public async Task A_hash_made_with_another_cost_verifies_and_asks_for_an_upgrade()
    {
        var cheaper = new PasswordHasher(Options.Create(new PasswordOptions { Iterations = 2 }));
        var current = new PasswordHasher(Options.Create(new PasswordOptions { Iterations = 3 }));
        var hash = await cheaper.HashAsync("correct horse battery", CancellationToken.None);

        Assert.Equal(new PasswordCheck(true, true), await current.VerifyAsync("correct horse battery", hash, CancellationToken.None));
        Assert.Equal(new PasswordCheck(false, false), await current.VerifyAsync("correct horse battery", "$bcrypt$whatever", CancellationToken.None));
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_waiting_for_a_slot_is_cancelled_and_the_slot_holder_finishes()
    {
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions { ConcurrentHashes = 1 }));
        var running = hasher.HashAsync("the one that runs", CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var waiting = hasher.HashAsync("the one that waits", giveUp.Token);
        Assert.False(waiting.IsCompleted);

        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.StartsWith("$argon2id$", await running, StringComparison.Ordinal);
        // The slot came back: another hash runs.
        Assert.StartsWith("$argon2id$", await hasher.HashAsync("after", CancellationToken.None), StringComparison.Ordinal);
        Assert.Equal(1, hasher.PeakRunning);
    }

    [Fact]
    public void The_thread_pool_keeps_threads_for_other_work_beside_hashes_at_the_limit()
    {
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions { ConcurrentHashes = 3 }));

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= Environment.ProcessorCount + hasher.Limit, $"min worker threads {workers}");
    }
}
