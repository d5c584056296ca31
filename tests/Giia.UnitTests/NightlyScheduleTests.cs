extern alias ddmrpservice;

using CsCheck;

using ddmrpservice::Giia.Ddmrp.Recalculations;

namespace Giia.UnitTests;

public sealed class NightlyScheduleTests
{
    [Theory]
    [InlineData("2026-12-02T01:59:59+00:00", "2026-12-02T02:00:00+00:00")]
    [InlineData("2026-12-02T02:00:00+00:00", "2026-12-03T02:00:00+00:00")] // at the hour itself: the next night, not again
    [InlineData("2026-12-02T23:30:00+00:00", "2026-12-03T02:00:00+00:00")]
    [InlineData("2026-12-02T03:30:00+05:00", "2026-12-02T02:00:00+00:00")] // 22:30 UTC the day before, in another offset
    [InlineData("2026-12-31T22:00:00+00:00", "2027-01-01T02:00:00+00:00")]
    public void The_next_run_is_the_first_time_of_day_in_utc_after_now(string now, string expected)
    {
        var next = NightlySchedule.NextRun(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(2));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
        Assert.Equal(TimeSpan.Zero, next.Offset);
    }

    [Fact]
    public void For_any_moment_and_time_of_day_the_next_run_is_within_a_day_after_it_at_that_time()
    {
        Gen.Select(Gen.Long[DateTimeOffset.UnixEpoch.Ticks, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).Ticks], Gen.Int[-14 * 60, 14 * 60],
                Gen.Int[0, 86_399])
            .Sample((ticks, offsetMinutes, seconds) =>
            {
                var now = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
                var at = TimeSpan.FromSeconds(seconds);
                var next = NightlySchedule.NextRun(now, at);
                return next > now && next - now <= TimeSpan.FromDays(1) && next.UtcDateTime.TimeOfDay == at;
            });
    }
}
