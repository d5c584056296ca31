namespace Giia.Ddmrp.Engine.NetFlow;

public static class NetFlowPosition
{
    /// <summary>Supply due on or before today + DLT counts (late supply is still expected); later supply does not.</summary>
    public static NetFlowResult Calculate(decimal onHand, IEnumerable<DailyQuantity> openSupply, decimal qualifiedDemand, DateOnly today, int dltDays)
    {
        var cutoff = today.AddDays(dltDays);
        decimal within = 0m, beyond = 0m;
        foreach (var line in openSupply)
        {
            if (line.Day <= cutoff)
            {
                within += line.Quantity;
            }
            else
            {
                beyond += line.Quantity;
            }
        }

        return new NetFlowResult(onHand, within, beyond, qualifiedDemand);
    }
}
