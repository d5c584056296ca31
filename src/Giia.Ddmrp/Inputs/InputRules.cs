using System.Globalization;

using Giia.Ddmrp.Engine.Calculation;
using Giia.HttpApi;

namespace Giia.Ddmrp.Inputs;

/// <summary>The limits every input row is held to, so nothing accepted is later refused by a column or the calculation core.</summary>
public static class InputRules
{
    /// <summary>Rows per request: a day of a warehouse's movements; more goes in several requests.</summary>
    public const int MaxRows = 1000;

    /// <summary>Enough for <see cref="MaxRows"/> rows of the largest shape (a line with a long reference).</summary>
    public const long MaxBodyBytes = 256 * 1024;

    public const int MaxReferenceLength = 100;

    /// <summary>The quantity columns, <c>numeric(18, 4)</c>: the calculation core accepts up to a trillion units.</summary>
    public const int QuantityPrecision = 18;
    public const int QuantityScale = 4;

    public static readonly DateOnly MinDay = new(2000, 1, 1);
    public static readonly DateOnly MaxDay = new(2999, 12, 31);

    public static FieldErrors Rows<T>(this FieldErrors errors, IReadOnlyList<T>? rows)
    {
        if (rows is null || rows.Count == 0)
        {
            return errors.Add("rows", "rows is required: at least one row.");
        }

        return rows.Count > MaxRows ? errors.Add("rows", $"rows must hold at most {MaxRows} rows; send more in several requests.") : errors;
    }

    public static FieldErrors ProductId(this FieldErrors errors, string field, Guid? value) =>
        value is null || value == Guid.Empty ? errors.Add(field, $"{field} is required (a product's UUID).") : errors;

    public static FieldErrors Day(this FieldErrors errors, string field, DateOnly? value)
    {
        if (value is not { } day)
        {
            return errors.Add(field, $"{field} is required (an ISO date, e.g. 2026-03-01).");
        }

        return day < MinDay || day > MaxDay
            ? errors.Add(field, $"{field} must be between {MinDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} and {MaxDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.")
            : errors;
    }

    public static FieldErrors Quantity(this FieldErrors errors, string field, decimal? value, bool allowNegative = false)
    {
        if (value is null)
        {
            return errors.Add(field, $"{field} is required.");
        }

        var min = allowNegative ? -BufferCalculationInput.MaxQuantity : 0m;
        return errors.Range(field, value, min, BufferCalculationInput.MaxQuantity).FitsColumn(field, value, QuantityPrecision, QuantityScale);
    }

    public static string Row(int index, string field) => $"rows[{index.ToString(CultureInfo.InvariantCulture)}].{field}";
}
