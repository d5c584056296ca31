using Giia.Ddmrp.Engine.Zones;

namespace Giia.Ddmrp.Engine.Replenishment;

/// <summary>
/// When the NFP is at or below TOY, order TOG − NFP: rounded up to the unit precision, raised to the MOQ, then rounded
/// up to the order multiple. The result is never less than what brings the NFP back to TOG, is a multiple of the order
/// multiple and at least the MOQ; above TOY nothing is ordered.
/// </summary>
public static class RecommendedOrder
{
    public static decimal Calculate(decimal netFlowPosition, BufferZones zones, decimal orderMultiple, decimal minimumOrderQuantity, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(orderMultiple);
        ArgumentOutOfRangeException.ThrowIfNegative(minimumOrderQuantity);
        if (netFlowPosition > zones.TopOfYellow)
        {
            return 0m;
        }

        var quantity = Quantities.RoundUp(zones.TopOfGreen - netFlowPosition, precision);
        if (quantity <= 0m)
        {
            return 0m;
        }

        quantity = Math.Max(quantity, minimumOrderQuantity);
        if (orderMultiple > 0m)
        {
            quantity = Math.Ceiling(quantity / orderMultiple) * orderMultiple;
        }

        return quantity;
    }
}
