extern alias service;

using System.Diagnostics;

using Microsoft.Extensions.Options;

using service::Giia.Auth.Accounts;

namespace Giia.Benchmarks;

/// <summary>Time per Argon2id hash at the configured cost (what every login and registration pays once).</summary>
public static class PasswordBenchmark
{
    public static int Run(string[] args)
    {
        var iterations = new BenchArguments(args).Number("hashes", 50);

        var hasher = new PasswordHasher(Options.Create(new PasswordOptions()));
        hasher.HashAsync("warm up the JIT first", CancellationToken.None).GetAwaiter().GetResult();
        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            hasher.HashAsync($"correct horse battery {i}", CancellationToken.None).GetAwaiter().GetResult();
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var settings = new PasswordOptions();
        Console.WriteLine($"Argon2id m={settings.MemoryKiB} KiB, t={settings.Iterations}, p={settings.Parallelism}: " +
            $"{iterations} hashes, median {times[times.Count / 2]:0.0} ms, p95 {times[(int)(times.Count * 0.95)]:0.0} ms, min {times[0]:0.0} ms");
        return 0;
    }
}
