using System.Globalization;

namespace Giia.Events;

/// <summary>
/// The retry waits still due for a dead letter, as they travel in the <c>Giia-Retry-Schedule</c> header: seconds,
/// comma-separated (<c>60,300,900</c>). Parsing is strict and bounded: the header comes off the wire.
/// </summary>
public static class RetrySchedules
{
    public const int MaxWaits = 20;

    public static string Format(IEnumerable<TimeSpan> waits) =>
        string.Join(',', (waits ?? []).Select(w => w.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)));

    /// <summary>The waits the header lists; null when it is absent or not a valid schedule (the reader's default applies).</summary>
    public static TimeSpan[]? Parse(string? header)
    {
        if (header is null || header.Length > 400)
        {
            return null;
        }

        if (header.Length == 0)
        {
            return [];
        }

        var parts = header.Split(',');
        if (parts.Length > MaxWaits)
        {
            return null;
        }

        var waits = new TimeSpan[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                || seconds < 0.01 || seconds > TimeSpan.FromDays(1).TotalSeconds)
            {
                return null;
            }

            waits[i] = TimeSpan.FromSeconds(seconds);
        }

        return waits;
    }
}
