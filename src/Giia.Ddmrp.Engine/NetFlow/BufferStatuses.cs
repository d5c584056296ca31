using Giia.Ddmrp.Engine.Zones;

namespace Giia.Ddmrp.Engine.NetFlow;

public static class BufferStatuses
{
    /// <summary>
    /// Planning status from the NFP: above TOY green; above TOR yellow (an order is due, see
    /// <see cref="Replenishment.RecommendedOrder"/>); above 0 red; otherwise below red.
    /// </summary>
    public static BufferStatus Planning(decimal netFlowPosition, BufferZones zones) => netFlowPosition switch
    {
        <= 0m => BufferStatus.BelowRed,
        _ when netFlowPosition <= zones.TopOfRed => BufferStatus.Red,
        _ when netFlowPosition <= zones.TopOfYellow => BufferStatus.Yellow,
        _ => BufferStatus.Green,
    };

    /// <summary>Execution status from what is on hand: at or above TOR green; at or above half of TOR yellow; above 0 red.</summary>
    public static BufferStatus Execution(decimal onHand, BufferZones zones) => onHand switch
    {
        <= 0m => BufferStatus.BelowRed,
        _ when onHand >= zones.TopOfRed => BufferStatus.Green,
        _ when onHand >= zones.TopOfRed / 2m => BufferStatus.Yellow,
        _ => BufferStatus.Red,
    };
}
