namespace Giia.Ddmrp.Engine.Adu;

/// <summary>
/// A planned change of demand (a promotion, a season, a phase-out): while a calculation's day falls in
/// [From, To], the ADU is multiplied by Factor. Overlapping factors multiply.
/// </summary>
public sealed record DemandAdjustmentFactor(DateOnly From, DateOnly To, decimal Factor)
{
    public const decimal MaxFactor = 100m;

    public bool Covers(DateOnly day) => day >= From && day <= To;
}
