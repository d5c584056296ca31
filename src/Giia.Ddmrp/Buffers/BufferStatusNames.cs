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
}
