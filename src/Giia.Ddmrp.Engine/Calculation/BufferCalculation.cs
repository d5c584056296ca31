using Giia.Ddmrp.Engine.Adu;
using Giia.Ddmrp.Engine.NetFlow;
using Giia.Ddmrp.Engine.Zones;

namespace Giia.Ddmrp.Engine.Calculation;

/// <summary>The result of one buffer calculation: zones, net flow, statuses and the recommended order.</summary>
public sealed record BufferCalculation(
    AduResult Adu,
    int DltDays,
    BufferZones Zones,
    decimal SpikeThreshold,
    int SpikeHorizonDays,
    QualifiedDemandResult QualifiedDemand,
    NetFlowResult NetFlow,
    decimal NetFlowPercent,
    decimal OnHandPercent,
    BufferStatus PlanningStatus,
    BufferStatus ExecutionStatus,
    decimal RecommendedOrder);
