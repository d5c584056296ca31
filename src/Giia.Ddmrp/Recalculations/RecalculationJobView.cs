namespace Giia.Ddmrp.Recalculations;

/// <summary>A recalculation job and its progress, summed from what its chunks recorded.</summary>
/// <param name="Status"><c>queued</c> (no chunk done), <c>running</c>, <c>completed</c>, or <c>stalled</c> (unfinished past
/// <c>Giia:Ddmrp:Recalculation:StaleAfter</c>: see the runbook).</param>
/// <param name="Skips">Up to 100 products the job could not calculate, with why.</param>
public sealed record RecalculationJobView(Guid Id, string Trigger, string Reason, bool WholeOrganization, string Status, int Products,
    int Calculated, int Skipped, int Chunks, int ChunksDone, DateTimeOffset QueuedAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<RecalculationSkipView> Skips);

public sealed record RecalculationSkipView(Guid ProductId, string Reason);
