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
}

/// <summary>
/// Argon2id password hashes in PHC format (<c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>). A hash made with other
/// parameters still verifies and is reported for an upgrade at the next login.
/// </summary>
public sealed class PasswordHasher(IOptions<PasswordOptions> options)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private readonly PasswordOptions settings = options.Value;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, settings.MemoryKiB, settings.Iterations, settings.Parallelism, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={settings.MemoryKiB},t={settings.Iterations},p={settings.Parallelism}${B64(salt)}${B64(hash)}");
    }

    /// <summary>Checks a password in constant time; <paramref name="needsUpgrade"/> when the hash's cost is not the current one.</summary>
    public bool Verify(string password, string encoded, out bool needsUpgrade)
    {
        needsUpgrade = false;
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[1] != "argon2id")
        {
            return false;
        }

        var parameters = parts[3].Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var salt = FromB64(parts[4]);
        var expected = FromB64(parts[5]);
        var actual = Compute(password, salt, parameters["m"], parameters["t"], parameters["p"], expected.Length);
        needsUpgrade = parameters["m"] != settings.MemoryKiB || parameters["t"] != settings.Iterations || parameters["p"] != settings.Parallelism;
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the same time as a real verification, for unknown emails (no timing difference to probe).</summary>
    public void VerifyAgainstNothing(string password) =>
        Compute(password, new byte[SaltBytes], settings.MemoryKiB, settings.Iterations, settings.Parallelism, HashBytes);

    private static byte[] Compute(string password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
    {
        using var argon2 = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return argon2.GetBytes(length);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
