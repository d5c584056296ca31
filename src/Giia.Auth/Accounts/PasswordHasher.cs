using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using Konscious.Security.Cryptography;

using Microsoft.Extensions.Options;

namespace Giia.Auth.Accounts;

/// <summary>Argon2id cost (<c>Giia:Passwords</c>); OWASP's minimum is 19 MiB, 2 passes, 1 lane.</summary>
public sealed class PasswordOptions
{
    public const string SectionName = "Giia:Passwords";

    [System.ComponentModel.DataAnnotations.Range(19_456, 1_048_576)]
    public int MemoryKiB { get; set; } = 19_456;

    [System.ComponentModel.DataAnnotations.Range(2, 10)]
    public int Iterations { get; set; } = 2;

    [System.ComponentModel.DataAnnotations.Range(1, 8)]
    public int Parallelism { get; set; } = 1;

    [System.ComponentModel.DataAnnotations.Range(8, 64)]
    public int MinLength { get; set; } = 8;

    /// <summary>Long enough for passphrases, short enough that hashing cannot be used to burn CPU.</summary>
    [System.ComponentModel.DataAnnotations.Range(64, 1024)]
    public int MaxLength { get; set; } = 128;

    /// <summary>
    /// How many hashes run at once (0: one per processor). Each takes <see cref="MemoryKiB"/> and a core for a tenth of a
    /// second, so a crowd of logins waits its turn instead of taking all memory and every thread-pool thread.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 256)]
    public int ConcurrentHashes { get; set; }
}

/// <summary>The outcome of checking a password against a stored hash.</summary>
public readonly record struct PasswordCheck(bool Matches, bool NeedsUpgrade);

/// <summary>
/// Argon2id password hashes in PHC format (<c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>). A hash made with other
/// parameters still verifies and is reported for an upgrade at the next login.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "A SemaphoreSlim holds nothing to release unless its wait handle is used; disposing it at shutdown would fail a hash still running.")]
public sealed class PasswordHasher
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private readonly PasswordOptions settings;
    private readonly SemaphoreSlim gate;
    private int running;
    private int peakRunning;

    public PasswordHasher(IOptions<PasswordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings = options.Value;
        Limit = settings.ConcurrentHashes > 0 ? settings.ConcurrentHashes : Environment.ProcessorCount;
        gate = new SemaphoreSlim(Limit, Limit);
        // Argon2 fills its memory on thread-pool threads: the pool keeps that many threads more than it starts with,
        // so that hashes running at the limit never take the threads other requests' I/O continues on.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + Limit), completionPorts);
    }

    /// <summary>How many hashes run at once (<see cref="PasswordOptions.ConcurrentHashes"/>, or one per processor).</summary>
    public int Limit { get; }

    /// <summary>The most hashes that ran at the same time since start (never above <see cref="PasswordOptions.ConcurrentHashes"/>).</summary>
    public int PeakRunning => Volatile.Read(ref peakRunning);

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = await ComputeAsync(password, salt, settings.MemoryKiB, settings.Iterations, settings.Parallelism, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={settings.MemoryKiB},t={settings.Iterations},p={settings.Parallelism}${B64(salt)}${B64(hash)}");
    }, cancellationToken);

    /// <summary>Checks a password in constant time; <see cref="PasswordCheck.NeedsUpgrade"/> when the hash's cost is not the current one.</summary>
    public Task<PasswordCheck> VerifyAsync(string password, string encoded, CancellationToken cancellationToken)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id")
        {
            return Task.FromResult(new PasswordCheck(false, false));
        }

        var parameters = parts[3].Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var salt = FromB64(parts[4]);
        var expected = FromB64(parts[5]);
        var needsUpgrade = parameters["m"] != settings.MemoryKiB || parameters["t"] != settings.Iterations || parameters["p"] != settings.Parallelism;
        return RunAsync(async () =>
        {
            var actual = await ComputeAsync(password, salt, parameters["m"], parameters["t"], parameters["p"], expected.Length);
            return new PasswordCheck(CryptographicOperations.FixedTimeEquals(actual, expected), needsUpgrade);
        }, cancellationToken);
    }

    /// <summary>Spends the same time as a real verification, for unknown emails (no timing difference to probe).</summary>
    public Task VerifyAgainstNothingAsync(string password, CancellationToken cancellationToken) =>
        RunAsync(() => ComputeAsync(password, new byte[SaltBytes], settings.MemoryKiB, settings.Iterations, settings.Parallelism, HashBytes),
            cancellationToken);

    /// <summary>
    /// Waits for a slot without holding a thread, then hashes without blocking one either: unbounded, a crowd of
    /// logins took every thread-pool thread for a tenth of a second per hash and the I/O continuations of every other
    /// request waited behind them (database connections then timed out while opening), besides 19 MiB per hash.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> compute, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = Interlocked.Increment(ref running);
            for (var peak = Volatile.Read(ref peakRunning); now > peak; peak = Volatile.Read(ref peakRunning))
            {
                Interlocked.CompareExchange(ref peakRunning, now, peak);
            }

            return await compute();
        }
        finally
        {
            Interlocked.Decrement(ref running);
            gate.Release();
        }
    }

    private static async Task<byte[]> ComputeAsync(string password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
    {
        using var argon2 = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return await argon2.GetBytesAsync(length);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
