extern alias authservice;

using authservice::Giia.Auth.Accounts;

namespace Giia.UnitTests;

public sealed class LockoutRuleTests
{
    private static readonly LockoutOptions Lockout = new() { MaxFailures = 5 };

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(5, true, false)]  // the fifth failure locks the pair and is itself answered as a wrong password
    [InlineData(6, true, true)]   // everything after it meets the lock
    [InlineData(30, true, true)]
    public void A_failure_counted_past_the_limit_met_a_lock(int failures, bool locked, bool wasLocked)
    {
        var count = new FailureCount { Failures = failures, LockedUntil = locked ? DateTimeOffset.UtcNow.AddMinutes(15) : null };
        Assert.Equal(wasLocked, count.WasLocked(Lockout));
    }

    [Fact]
    public void The_pair_key_separates_addresses_and_ignores_nothing()
    {
        Assert.Equal(LoginThrottle.KeyFor("ana@example.com", "10.0.0.1"), LoginThrottle.KeyFor("ana@example.com", "10.0.0.1"));
        Assert.NotEqual(LoginThrottle.KeyFor("ana@example.com", "10.0.0.1"), LoginThrottle.KeyFor("ana@example.com", "10.0.0.2"));
        Assert.NotEqual(LoginThrottle.KeyFor("ana@example.com", null), LoginThrottle.KeyFor("bob@example.com", null));
    }
}
