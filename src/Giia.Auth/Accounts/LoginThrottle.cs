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

    /// <summary>
    /// Counts one failed login in a single statement (an upsert that increments), so parallel failures are all
    /// counted and exactly <see cref="LockoutOptions.MaxFailures"/> of them lock the pair. Attempts while locked keep
    /// counting (which is how the caller tells "this failure locked it" from "it was locked already"); the first
    /// failure after a lock expired starts a new window.
    /// </summary>
    public static async Task<FailureCount> CountFailureAsync(DbContext db, byte[] key, LockoutOptions lockout, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(lockout);
        var max = lockout.MaxFailures;
        var until = now + lockout.Duration;
        var rows = await db.Database.SqlQuery<FailureCount>($"""
            INSERT INTO login_throttles AS t (key, failures, locked_until, updated_at)
            VALUES ({key}, 1, CASE WHEN {max} <= 1 THEN {until} END, {now})
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN t.locked_until <= {now} THEN 1 ELSE t.failures + 1 END,
                locked_until = CASE
                    WHEN t.locked_until > {now} THEN t.locked_until
                    WHEN (CASE WHEN t.locked_until <= {now} THEN 1 ELSE t.failures + 1 END) >= {max} THEN {until}
                    ELSE NULL END,
                updated_at = {now}
            RETURNING t.failures AS "Failures", t.locked_until AS "LockedUntil"
            """).ToListAsync(cancellationToken);
        return rows[0];
    }

    /// <summary>A correct password clears the pair's failures (a set-based delete: parallel correct logins never conflict).</summary>
    public static Task<int> ClearAsync(Giia.Auth.Data.AuthDbContext db, byte[] key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.LoginThrottles.Where(t => t.Key == key).ExecuteDeleteAsync(cancellationToken);
    }
}

/// <summary>The pair's state right after a failure was counted.</summary>
public sealed class FailureCount
{
    public int Failures { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>The pair was locked before this attempt (it went past the limit); the attempt is refused, not counted as a guess.</summary>
    public bool WasLocked(LockoutOptions lockout)
    {
        ArgumentNullException.ThrowIfNull(lockout);
        return Failures > lockout.MaxFailures && LockedUntil is not null;
    }
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
