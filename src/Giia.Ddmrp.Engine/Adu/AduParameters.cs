namespace Giia.Ddmrp.Engine.Adu;

/// <summary>The ADU method of a buffer profile and its parameters.</summary>
public sealed record AduParameters
{
    /// <summary>The longest horizon accepted, past or forward (two years of days).</summary>
    public const int MaxHorizonDays = 730;

    public AduMethod Method { get; init; } = AduMethod.Average;

    /// <summary>Days of usage before today that the past methods read (today is excluded: its usage is incomplete).</summary>
    public int HorizonDays { get; init; } = 90;

    /// <summary>Days of forecast after today that the forward and blended methods read.</summary>
    public int ForwardHorizonDays { get; init; } = 90;

    /// <summary>Smoothing factor of the exponential method, in (0, 1]: the weight of each new day.</summary>
    public decimal Alpha { get; init; } = 0.3m;

    /// <summary>Weight of the past average in the blended method.</summary>
    public decimal PastWeight { get; init; } = 0.5m;

    /// <summary>Weight of the forward average in the blended method.</summary>
    public decimal ForwardWeight { get; init; } = 0.5m;

    public IReadOnlyList<InputError> Validate()
    {
        var errors = new List<InputError>();
        if (!Enum.IsDefined(Method))
        {
            errors.Add(new("aduMethod", "Unknown ADU method."));
        }

        if (HorizonDays is < 1 or > MaxHorizonDays)
        {
            errors.Add(new("aduHorizonDays", $"Must be 1 to {MaxHorizonDays} days."));
        }

        if (ForwardHorizonDays is < 1 or > MaxHorizonDays)
        {
            errors.Add(new("aduForwardHorizonDays", $"Must be 1 to {MaxHorizonDays} days."));
        }

        if (Alpha is <= 0m or > 1m)
        {
            errors.Add(new("aduAlpha", "Must be greater than 0 and at most 1."));
        }

        if (PastWeight is < 0m or > 1m || ForwardWeight is < 0m or > 1m)
        {
            errors.Add(new("aduPastWeight", "Weights must be between 0 and 1."));
        }
        else if (Method == AduMethod.Blended && PastWeight + ForwardWeight != 1m)
        {
            errors.Add(new("aduPastWeight", "The past and forward weights of the blended method must sum to 1."));
        }

        return errors;
    }
}
