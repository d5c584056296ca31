using System.ComponentModel.DataAnnotations;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Auth.Accounts;

/// <summary>Lockout settings (<c>Giia:Lockout</c>).</summary>
public sealed class LockoutOptions
{
    public const string SectionName = "Giia:Lockout";

    [Range(1, 100)]
    public int MaxFailures { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Failed logins for one email from one client address. Locking the pair, not the account, means an attacker
/// hammering someone's email locks out the attacker's address, never the owner signing in from theirs; the per-IP
/// rate limiter caps how many addresses' worth of guesses one client gets. Unknown emails are throttled the same way,
/// so a lockout reveals nothing about which accounts exist.
/// </summary>
public sealed class LoginThrottle
{
    public required byte[] Key { get; set; }

    public int Failures { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static byte[] KeyFor(string normalizedEmail, string? ipAddress) =>
        SecretTokens.Hash($"{normalizedEmail}|{ipAddress ?? "-"}");
}

internal sealed class LoginThrottleConfiguration : IEntityTypeConfiguration<LoginThrottle>
{
    public void Configure(EntityTypeBuilder<LoginThrottle> builder)
    {
        builder.ToTable("login_throttles");
        builder.HasKey(t => t.Key);
        builder.Property(t => t.Key).HasColumnName("key");
        builder.Property(t => t.Failures).HasColumnName("failures");
        builder.Property(t => t.LockedUntil).HasColumnName("locked_until");
        builder.Property(t => t.UpdatedAt).HasColumnName("updated_at");
    }
}
