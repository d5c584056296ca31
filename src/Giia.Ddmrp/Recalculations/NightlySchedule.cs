namespace Giia.Ddmrp.Recalculations;

/// <summary>When the nightly recalculation runs next.</summary>
public static class NightlySchedule
{
    /// <summary>The first time of day <paramref name="atUtc"/> (UTC) strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeSpan atUtc)
    {
        var utc = now.ToUniversalTime();
        var today = new DateTimeOffset(utc.Date, TimeSpan.Zero) + atUtc;
        return today > utc ? today : today.AddDays(1);
    }
}
