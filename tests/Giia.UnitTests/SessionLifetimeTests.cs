extern alias authservice;

using authservice::Giia.Auth.Sessions;

using Microsoft.Extensions.Time.Testing;

namespace Giia.UnitTests;

/// <summary>When a refresh token stops working: its own lifetime, the idle timeout and the session's absolute end.</summary>
public sealed class SessionLifetimeTests
{
    private static readonly SessionLifetimeOptions Defaults = new(); // idle 7 d, absolute 30 d

    [Fact]
    public void A_session_used_every_day_still_ends_at_its_absolute_lifetime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var signIn = time.GetUtcNow();
        var expiry = Defaults.RefreshTokenExpiry(signIn, signIn, TimeSpan.FromDays(7));
        for (var day = 1; day <= 40 && expiry > time.GetUtcNow(); day++)
        {
            time.Advance(TimeSpan.FromDays(1)); // a refresh a day: never idle
            expiry = Defaults.RefreshTokenExpiry(time.GetUtcNow(), signIn, TimeSpan.FromDays(7));
        }

        Assert.Equal(signIn + TimeSpan.FromDays(30), expiry);
        Assert.True(time.GetUtcNow() >= expiry);
    }

    [Fact]
    public void A_session_left_unused_ends_after_the_idle_timeout()
    {
        var options = new SessionLifetimeOptions { IdleTimeout = TimeSpan.FromHours(8), AbsoluteLifetime = TimeSpan.FromDays(30) };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var signIn = time.GetUtcNow();
        time.Advance(TimeSpan.FromHours(3));

        var expiry = options.RefreshTokenExpiry(time.GetUtcNow(), signIn, TimeSpan.FromDays(7));

        Assert.Equal(time.GetUtcNow() + TimeSpan.FromHours(8), expiry);
    }

    [Fact]
    public void The_refresh_tokens_own_lifetime_applies_when_it_is_the_shortest()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(now + TimeSpan.FromHours(1), Defaults.RefreshTokenExpiry(now, now, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void An_idle_timeout_longer_than_the_absolute_lifetime_is_refused()
    {
        var result = new SessionLifetimeOptionsValidator().Validate(null,
            new SessionLifetimeOptions { IdleTimeout = TimeSpan.FromDays(40), AbsoluteLifetime = TimeSpan.FromDays(30) });

        Assert.True(result.Failed);
        Assert.Contains("Giia:Sessions:IdleTimeout", result.FailureMessage, StringComparison.Ordinal);
    }
}
