namespace Giia.Ddmrp.Engine.Adu;

/// <summary>How the average daily usage (ADU) is taken from usage history and forecasts.</summary>
public enum AduMethod
{
    /// <summary>Plain average of the past horizon's daily usage (days without usage count as zero).</summary>
    Average,

    /// <summary>Exponential smoothing of the past horizon's daily usage, oldest to newest, with factor alpha.</summary>
    Exponential,

    /// <summary>Linearly weighted average of the past horizon: the oldest day weighs 1, yesterday weighs the horizon.</summary>
    Weighted,

    /// <summary>Average of the forecast over the forward horizon (the days after today).</summary>
    Forward,

    /// <summary>Past average and forward average combined with weights that sum to 1.</summary>
    Blended,
}
