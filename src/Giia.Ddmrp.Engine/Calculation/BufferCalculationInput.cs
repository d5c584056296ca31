using Giia.Ddmrp.Engine.Adu;

namespace Giia.Ddmrp.Engine.Calculation;

/// <summary>Everything one buffer calculation reads, as of <see cref="Today"/> (the planning day).</summary>
public sealed record BufferCalculationInput
{
    /// <summary>The largest quantity accepted anywhere in the input (a trillion units).</summary>
    public const decimal MaxQuantity = 1_000_000_000_000m;

    public const decimal MaxFactor = 100m;

    public const int MaxOrderCycleDays = 3650;

    public required DateOnly Today { get; init; }

    public AduParameters Adu { get; init; } = new();

    public IReadOnlyList<DailyQuantity> Usage { get; init; } = [];

    public IReadOnlyList<DailyQuantity> Forecast { get; init; } = [];

    public IReadOnlyList<DemandAdjustmentFactor> AdjustmentFactors { get; init; } = [];

    public required int DltDays { get; init; }

    public required decimal LeadTimeFactor { get; init; }

    public required decimal VariabilityFactor { get; init; }

    public int OrderCycleDays { get; init; }

    public decimal MinimumOrderQuantity { get; init; }

    /// <summary>Orders are rounded up to a multiple of this (0: no multiple).</summary>
    public decimal OrderMultiple { get; init; }

    /// <summary>Decimal places of the product's unit (0 = whole units).</summary>
    public int Precision { get; init; }

    /// <summary>A future day's demand is a spike at or above this share of the red zone (percent).</summary>
    public decimal SpikeThresholdPercentOfRed { get; init; } = 50m;

    /// <summary>Days after today in which spikes qualify; null: the DLT.</summary>
    public int? SpikeHorizonDays { get; init; }

    public decimal OnHand { get; init; }

    public IReadOnlyList<DailyQuantity> OpenSupply { get; init; } = [];

    public IReadOnlyList<DailyQuantity> OpenDemand { get; init; } = [];

    public IReadOnlyList<InputError> Validate()
    {
        var errors = new List<InputError>(Adu.Validate());
        if (DltDays is < 0 or > LeadTimes.DecoupledLeadTime.MaxDays)
        {
            errors.Add(new("dltDays", $"Must be 0 to {LeadTimes.DecoupledLeadTime.MaxDays} days."));
        }

        CheckFactor(errors, "leadTimeFactor", LeadTimeFactor);
        CheckFactor(errors, "variabilityFactor", VariabilityFactor);
        if (OrderCycleDays is < 0 or > MaxOrderCycleDays)
        {
            errors.Add(new("orderCycleDays", $"Must be 0 to {MaxOrderCycleDays} days."));
        }

        CheckQuantity(errors, "minimumOrderQuantity", MinimumOrderQuantity, allowNegative: false);
        CheckQuantity(errors, "orderMultiple", OrderMultiple, allowNegative: false);
        if (Precision is < 0 or > Quantities.MaxPrecision)
        {
            errors.Add(new("precision", $"Must be 0 to {Quantities.MaxPrecision} decimal places."));
        }

        if (SpikeThresholdPercentOfRed is < 0m or > 10_000m)
        {
            errors.Add(new("spikeThresholdPercent", "Must be 0 to 10000 percent of the red zone."));
        }

        if (SpikeHorizonDays is < 0 or > LeadTimes.DecoupledLeadTime.MaxDays)
        {
            errors.Add(new("spikeHorizonDays", $"Must be 0 to {LeadTimes.DecoupledLeadTime.MaxDays} days."));
        }

        // On hand can be negative (a stock-out booked ahead of a receipt); lines cannot.
        CheckQuantity(errors, "onHand", OnHand, allowNegative: true);
        CheckLines(errors, "usage", Usage);
        CheckLines(errors, "forecast", Forecast);
        CheckLines(errors, "openSupply", OpenSupply);
        CheckLines(errors, "openDemand", OpenDemand);
        foreach (var factor in AdjustmentFactors)
        {
            if (factor.To < factor.From)
            {
                errors.Add(new("adjustmentFactors", "A factor's period must not end before it starts."));
                break;
            }

            if (factor.Factor is <= 0m or > DemandAdjustmentFactor.MaxFactor)
            {
                errors.Add(new("adjustmentFactors", $"A factor must be greater than 0 and at most {DemandAdjustmentFactor.MaxFactor}."));
                break;
            }
        }

        return errors;
    }

    private static void CheckFactor(List<InputError> errors, string field, decimal value)
    {
        if (value is < 0m or > MaxFactor)
        {
            errors.Add(new(field, $"Must be 0 to {MaxFactor}."));
        }
    }

    private static void CheckQuantity(List<InputError> errors, string field, decimal value, bool allowNegative)
    {
        if (value > MaxQuantity || value < (allowNegative ? -MaxQuantity : 0m))
        {
            errors.Add(new(field, allowNegative ? $"Must be within ±{MaxQuantity}." : $"Must be 0 to {MaxQuantity}."));
        }
    }

    private static void CheckLines(List<InputError> errors, string field, IReadOnlyList<DailyQuantity> lines)
    {
        foreach (var line in lines)
        {
            if (line.Quantity is < 0m or > MaxQuantity)
            {
                errors.Add(new(field, $"Quantities must be 0 to {MaxQuantity}."));
                return;
            }
        }
    }
}
