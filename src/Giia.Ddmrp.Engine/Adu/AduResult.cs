namespace Giia.Ddmrp.Engine.Adu;

/// <summary>The ADU before and after demand adjustment factors (both rounded to <see cref="AduCalculator.Decimals"/>).</summary>
public sealed record AduResult(decimal Base, decimal AdjustmentFactor, decimal Adjusted);
