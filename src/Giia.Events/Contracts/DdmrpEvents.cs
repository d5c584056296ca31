namespace Giia.Events.Contracts;

/// <summary>
/// A product's buffer was calculated: its zones (tops of red, yellow and green), net flow position, planning and
/// execution statuses, and the order the engine recommends (0: none), as of the planning day.
/// </summary>
[GiiaEvent("buffer.calculated")]
public sealed record BufferCalculated(Guid ProductId, Guid OrganizationId, Guid CalculationId, DateOnly PlanningDay, decimal Adu, int DltDays,
    decimal TopOfRed, decimal TopOfYellow, decimal TopOfGreen, decimal NetFlowPosition, decimal NetFlowPercent, string PlanningStatus,
    string ExecutionStatus, decimal RecommendedOrder, DateTimeOffset CalculatedAt);

/// <summary>
/// A buffer's planning status moved (e.g. yellow → red) with a calculation; not published for a buffer's first one.
/// </summary>
[GiiaEvent("buffer.status_changed")]
public sealed record BufferStatusChanged(Guid ProductId, Guid OrganizationId, Guid CalculationId, string PreviousStatus, string PlanningStatus,
    decimal NetFlowPercent, DateOnly PlanningDay, DateTimeOffset ChangedAt);

/// <summary>
/// Work, not news: one chunk of a recalculation job, queued on the buffer engine's work-queue stream so that every
/// replica takes chunks and a chunk whose replica died is delivered again.
/// </summary>
// Unordered: a job's chunks are independent, so the relay publishes them all at once.
[GiiaEvent("buffer.recalculation_chunk", Ordered = false)]
public sealed record BufferRecalculationChunk(Guid JobId, Guid OrganizationId, int Chunk, IReadOnlyList<Guid> ProductIds);
