namespace Giia.Ddmrp.Engine.Zones;

/// <summary>
/// The three zones of a buffer with the parts they were chosen from. Every part is rounded to the unit precision;
/// the tops are sums of rounded parts, so TOR ≤ TOY ≤ TOG always holds exactly.
/// </summary>
public sealed record BufferZones(
    decimal RedBase,
    decimal RedSafety,
    decimal Yellow,
    decimal GreenOrderCycle,
    decimal GreenLeadTime,
    decimal GreenMinimumOrder,
    decimal Green)
{
    public decimal Red => RedBase + RedSafety;

    public decimal TopOfRed => Red;

    public decimal TopOfYellow => Red + Yellow;

    public decimal TopOfGreen => Red + Yellow + Green;
}
