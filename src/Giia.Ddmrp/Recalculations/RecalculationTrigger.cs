namespace Giia.Ddmrp.Recalculations;

/// <summary>Why a recalculation job runs.</summary>
public enum RecalculationTrigger
{
    /// <summary>Someone asked for the whole organization (POST /api/buffers/recalculations).</summary>
    Manual,

    /// <summary>The nightly schedule, for the whole organization.</summary>
    Nightly,

    /// <summary>A Catalog event changed what some buffers are calculated from: only those.</summary>
    Catalog,
}
