using System.ComponentModel.DataAnnotations;

namespace Giia.Auth.Sessions;

/// <summary>
/// How long a sign-in lasts (<c>Giia:Sessions</c>). A session whose refresh token goes unused for
/// <see cref="IdleTimeout"/> ends (a forgotten device stops being a way in); every session ends
/// <see cref="AbsoluteLifetime"/> after its sign-in, however busy (a stolen session cannot be kept alive by refreshing).
/// </summary>
public sealed class SessionLifetimeOptions
{
    public const string SectionName = "Giia:Sessions";

    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// When a refresh token issued now stops working: the first of the token's own lifetime, the idle timeout, and the
    /// session's absolute end. Every refresh moves the idle end forward; nothing moves the absolute end.
    /// </summary>
    public DateTimeOffset RefreshTokenExpiry(DateTimeOffset now, DateTimeOffset sessionStartedAt, TimeSpan refreshTokenLifetime)
    {
        var expiry = now + (refreshTokenLifetime < IdleTimeout ? refreshTokenLifetime : IdleTimeout);
        var absoluteEnd = sessionStartedAt + AbsoluteLifetime;
        return expiry < absoluteEnd ? expiry : absoluteEnd;
    }
}
