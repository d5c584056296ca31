using System.ComponentModel.DataAnnotations;

namespace Giia.Ddmrp.Recalculations;

/// <summary><c>Giia:Ddmrp:Recalculation</c>: how jobs are split and when the nightly one runs.</summary>
public sealed class RecalculationOptions
{
    public const string SectionName = "Giia:Ddmrp:Recalculation";

    /// <summary>Products per chunk: one transaction and one work-queue message each.</summary>
    [Range(1, 1000)]
    public int ChunkSize { get; set; } = 100;

    /// <summary>Whether the nightly job runs (each replica schedules it; one per organization and day is made).</summary>
    public bool NightlyEnabled { get; set; } = true;

    /// <summary>When, in UTC, the nightly job starts.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:59")]
    public TimeSpan NightlyAtUtc { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// A whole-organization job not finished after this long no longer blocks a new one (its chunks may have been
    /// dead-lettered; see the runbook).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "2.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromHours(6);
}
