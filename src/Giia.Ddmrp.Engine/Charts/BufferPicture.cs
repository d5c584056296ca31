using Giia.Ddmrp.Engine.NetFlow;

namespace Giia.Ddmrp.Engine.Charts;

/// <summary>What a buffer picture shows of one calculation: the zone tops, the net flow position and what is on hand.</summary>
public sealed record BufferPicture(
    DateTimeOffset CalculatedAt,
    decimal TopOfRed,
    decimal TopOfYellow,
    decimal TopOfGreen,
    decimal NetFlowPosition,
    decimal OnHand,
    BufferStatus PlanningStatus);
