using Giia.Ddmrp.Engine.NetFlow;

namespace Giia.Ddmrp.Buffers;

/// <summary>The statuses as the API and events spell them: <c>below_red</c>, <c>red</c>, <c>yellow</c>, <c>green</c>.</summary>
public static class BufferStatusNames
{
    public const string BelowRed = "below_red";

    public static readonly IReadOnlyList<string> All = [BelowRed, "red", "yellow", "green"];

    public static string Of(BufferStatus status) => status switch
    {
        BufferStatus.BelowRed => BelowRed,
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The status a stored name stands for (names are written only by <see cref="Of"/>).</summary>
    public static BufferStatus Parse(string name) => name switch
    {
        BelowRed => BufferStatus.BelowRed,
        "red" => BufferStatus.Red,
        "yellow" => BufferStatus.Yellow,
        "green" => BufferStatus.Green,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a buffer status"),
    };
}
