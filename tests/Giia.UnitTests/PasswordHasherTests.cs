extern alias authservice;

using authservice::Giia.Auth.Accounts;

using Microsoft.Extensions.Options;

namespace Giia.UnitTests;

public sealed class PasswordHasherTests
{
    [Fact]
    public async Task A_crowd_of_hashes_runs_at_most_the_configured_number_at_once_and_each_verifies()
    {
        using var hasher = new PasswordHasher(Options.Create(new PasswordOptions { ConcurrentHashes = 2 }));

        var hashes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => hasher.HashAsync($"passphrase number {i}", CancellationToken.None))));
        var checks = await Task.WhenAll(hashes.Select((hash, i) => hasher.VerifyAsync($"passphrase number {i}", hash, CancellationToken.None)));

        Assert.InRange(hasher.PeakRunning, 1, 2);
        Assert.All(checks, c => Assert.Equal(new PasswordCheck(true, false), c));
        Assert.False((await hasher.VerifyAsync("another passphrase", hashes[0], CancellationToken.None)).Matches);
    }

    [Fact]
    public async Task A_hash_made_with_another_cost_verifies_and_asks_for_an_upgrade()
    {
        using var cheaper = new PasswordHasher(Options.Create(new PasswordOptions { Iterations = 2 }));
        using var current = new PasswordHasher(Options.Create(new PasswordOptions { Iterations = 3 }));
        var hash = await cheaper.HashAsync("correct horse battery", CancellationToken.None);

        Assert.Equal(new PasswordCheck(true, true), await current.VerifyAsync("correct horse battery", hash, CancellationToken.None));
        Assert.Equal(new PasswordCheck(false, false), await current.VerifyAsync("correct horse battery", "$bcrypt$whatever", CancellationToken.None));
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_waiting_for_a_slot_is_cancelled_and_frees_nothing_it_did_not_take()
    {
        using var hasher = new PasswordHasher(Options.Create(new PasswordOptions { ConcurrentHashes = 1 }));
        var running = hasher.HashAsync("the one that runs", CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hasher.HashAsync("the one that waits", cancelled.Token));
        await running;
        Assert.Equal(1, hasher.PeakRunning);
    }
}
