namespace Giia.Ddmrp.Engine.Adu;

/// <summary>Average daily usage by the profile's method, then multiplied by the demand adjustment factors of the day.</summary>
public static class AduCalculator
{
    /// <summary>ADU is kept to 4 decimal places, so the zones stored with it can be recomputed from it exactly.</summary>
    public const int Decimals = 4;

    public static AduResult Calculate(
        AduParameters parameters,
        DateOnly today,
        IEnumerable<DailyQuantity> usage,
        IEnumerable<DailyQuantity> forecast,
        IEnumerable<DemandAdjustmentFactor> adjustments)
    {
        var errors = parameters.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(errors[0].Message, errors[0].Field);
        }

        var raw = parameters.Method switch
        {
            AduMethod.Average => Average(PastDays(usage, today, parameters.HorizonDays)),
            AduMethod.Exponential => Exponential(PastDays(usage, today, parameters.HorizonDays), parameters.Alpha),
            AduMethod.Weighted => Weighted(PastDays(usage, today, parameters.HorizonDays)),
            AduMethod.Forward => Average(ForwardDays(forecast, today, parameters.ForwardHorizonDays)),
            AduMethod.Blended =>
                (Average(PastDays(usage, today, parameters.HorizonDays)) * parameters.PastWeight)
                + (Average(ForwardDays(forecast, today, parameters.ForwardHorizonDays)) * parameters.ForwardWeight),
            _ => throw new ArgumentOutOfRangeException(nameof(parameters), parameters.Method, "Unknown ADU method."),
        };

        var factor = 1m;
        foreach (var adjustment in adjustments)
        {
            if (adjustment.Covers(today))
            {
                factor *= adjustment.Factor;
            }
        }

        var baseAdu = Round(raw);
        return new AduResult(baseAdu, factor, Round(baseAdu * factor));
    }

    /// <summary>Usage per day for the <paramref name="horizon"/> days before today, oldest first; missing days are zero.</summary>
    internal static decimal[] PastDays(IEnumerable<DailyQuantity> usage, DateOnly today, int horizon)
    {
        var first = today.AddDays(-horizon);
        return Bucket(usage, first, horizon);
    }

    /// <summary>Forecast per day for the <paramref name="horizon"/> days after today, soonest first.</summary>
    internal static decimal[] ForwardDays(IEnumerable<DailyQuantity> forecast, DateOnly today, int horizon) =>
        Bucket(forecast, today.AddDays(1), horizon);

    private static decimal[] Bucket(IEnumerable<DailyQuantity> rows, DateOnly first, int days)
    {
        var buckets = new decimal[days];
        var firstDay = first.DayNumber;
        foreach (var row in rows)
        {
            var index = row.Day.DayNumber - firstDay;
            if (index >= 0 && index < days)
            {
                buckets[index] += row.Quantity;
            }
        }

        return buckets;
    }

    private static decimal Average(decimal[] days)
    {
        var sum = 0m;
        foreach (var day in days)
        {
            sum += day;
        }

        return sum / days.Length;
    }

    private static decimal Exponential(decimal[] days, decimal alpha)
    {
        // Seeded with the oldest day, so a flat history smooths to itself.
        var smoothed = days[0];
        for (var i = 1; i < days.Length; i++)
        {
            smoothed = (alpha * days[i]) + ((1m - alpha) * smoothed);
        }

        return smoothed;
    }

    private static decimal Weighted(decimal[] days)
    {
        decimal weightedSum = 0m, weights = 0m;
        for (var i = 0; i < days.Length; i++)
        {
            weightedSum += days[i] * (i + 1);
            weights += i + 1;
        }

        return weightedSum / weights;
    }

    private static decimal Round(decimal value) => Math.Round(value, Decimals, MidpointRounding.AwayFromZero);
}
