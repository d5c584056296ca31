using CsCheck;

using Giia.HttpApi;

namespace Giia.UnitTests;

public sealed class NumberAndTimeRuleTests
{
    [Theory]
    [InlineData("0.00001", true)]   // rounds to 0.0000 in numeric(9,4): refused, not broken later
    [InlineData("0.0001", false)]
    [InlineData("99999.9999", false)]
    [InlineData("100000", true)]
    [InlineData("-100000", true)]
    [InlineData("1.50000", false)] // trailing zeros are not decimals that get lost
    public void Decimals_must_fit_their_column(string value, bool refused)
    {
        var number = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(refused, new FieldErrors().FitsColumn("factor", number, 9, 4).Any);
    }

    [Fact]
    public void What_fits_the_column_round_trips_unchanged()
    {
        Gen.Decimal.Sample(value =>
        {
            var fits = !new FieldErrors().FitsColumn("amount", value, 18, 4).Any;
            return !fits || (decimal.Round(value, 4) == value && Math.Abs(value) < 100_000_000_000_000m);
        });
    }

    [Fact]
    public void Timestamps_with_any_offset_become_the_same_utc_instant()
    {
        Gen.Select(Gen.Int[-14 * 60, 14 * 60], Gen.Long[0, 200_000_000_000]).Sample((offsetMinutes, seconds) =>
        {
            var local = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(offsetMinutes)).AddSeconds(seconds % 100_000_000);
            var utc = FieldErrors.Utc(local)!.Value;
            return utc.Offset == TimeSpan.Zero && utc == local;
        });
    }

    [Fact]
    public void Timestamps_out_of_range_are_refused()
    {
        Assert.True(new FieldErrors().Timestamp("from", DateTimeOffset.MinValue).Any);
        Assert.True(new FieldErrors().Timestamp("to", DateTimeOffset.MaxValue).Any);
        Assert.False(new FieldErrors().Timestamp("from", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1))).Any);
        Assert.False(new FieldErrors().Timestamp("from", null).Any);
    }
}
