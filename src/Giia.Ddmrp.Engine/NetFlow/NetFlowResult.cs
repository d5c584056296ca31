namespace Giia.Ddmrp.Engine.NetFlow;

/// <summary>
/// NFP = on hand + open supply due within the DLT − qualified demand. Supply due later than the DLT is reported but
/// not counted: it cannot arrive in time to protect the buffer.
/// </summary>
public sealed record NetFlowResult(decimal OnHand, decimal SupplyWithinDlt, decimal SupplyBeyondDlt, decimal QualifiedDemand)
{
    public decimal Position => OnHand + SupplyWithinDlt - QualifiedDemand;
}
