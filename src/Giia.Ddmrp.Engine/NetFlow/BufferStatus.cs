namespace Giia.Ddmrp.Engine.NetFlow;

/// <summary>A buffer's colour, most urgent first (the planning screen sorts by it, then by NFP %).</summary>
public enum BufferStatus
{
    /// <summary>Nothing left: NFP ≤ 0 (planning) or nothing on hand (execution).</summary>
    BelowRed,
    Red,
    Yellow,
    Green,
}
