namespace Giia.Events.Contracts;

/// <summary>
/// A product's buffer was calculated: its zones (tops of red, yellow and green), net flow position, planning and
/// execution statuses, and the order the engine recommends (0: none), as of the planning day.
/// </summary>
[GiiaEvent("buffer.calculated")]
public sealed record BufferCalculated(Guid ProductId, Guid OrganizationId, Guid CalculationId, DateOnly PlanningDay, decimal Adu, int DltDays,
    decimal TopOfRed, decimal TopOfYellow, decimal TopOfGreen, decimal NetFlowPosition, decimal NetFlowPercent, string PlanningStatus,
    string ExecutionStatus, decimal RecommendedOrder, DateTimeOffset CalculatedAt);
