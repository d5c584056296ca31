using Giia.Ddmrp.Buffers;
using Giia.Ddmrp.CatalogCopy;
using Giia.Ddmrp.Data;
using Giia.Events.Contracts;
using Giia.Events.Subscriptions;

using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.Recalculations;

/// <summary>
/// One chunk of a job, taken from the work queue by whichever replica is free: its buffers calculated from the copy
/// of Catalog, saved with their events, its result and skips recorded and the work item marked done, all in one
/// transaction. A replica that dies mid-chunk commits nothing; JetStream delivers the chunk again after its ack wait.
/// </summary>
internal sealed class RecalculationChunkHandler(DdmrpDbContext db, CatalogCopyStore copy, BufferCalculations calculations, TimeProvider time)
    : IHandleEvent<BufferRecalculationChunk>
{
    public async Task HandleAsync(EventContext<BufferRecalculationChunk> context, CancellationToken cancellationToken)
    {
        var chunk = context.Data;
        // The work item must be what its job queued: the job's own organization (in the data and the envelope) and
        // one of its chunks. Anything else is refused, so no item can count against or write into another tenant's job.
        var job = await db.RecalculationJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == chunk.JobId, cancellationToken);
        if (job is null || job.OrganizationId != chunk.OrganizationId || context.Envelope.OrganizationId != chunk.OrganizationId
            || chunk.Chunk < 0 || chunk.Chunk >= job.ChunkCount || chunk.ProductIds.Count > job.ProductCount)
        {
            throw new InvalidOperationException(
                $"Work item {context.Envelope.Id} does not belong to a chunk of job {chunk.JobId} of organization {chunk.OrganizationId}.");
        }

        // Done before its ack was lost, or the same chunk queued twice: a chunk's work counts once.
        if (await db.WasProcessedAsync(context.Consumer, context.Envelope.Id, cancellationToken))
        {
            return;
        }

        if (await db.RecalculationChunks.AnyAsync(c => c.JobId == chunk.JobId && c.Chunk == chunk.Chunk, cancellationToken))
        {
            await db.HandleOnceAsync(context, _ => Task.CompletedTask, cancellationToken);
            return;
        }

        var sources = await copy.SourcesAsync(chunk.OrganizationId, chunk.ProductIds, cancellationToken);
        var outcomes = await calculations.PrepareAsync(chunk.OrganizationId,
            [.. chunk.ProductIds.Distinct().Select(id => (id, sources.GetValueOrDefault(id)))], cancellationToken);
        var records = outcomes.Where(o => o.Record is not null).Select(o => o.Record!).ToList();
        await db.HandleOnceAsync(context, async ct =>
        {
            await calculations.SaveAsync(chunk.OrganizationId, records, ct);
            db.RecalculationChunks.Add(new RecalculationChunkResult
            {
                JobId = chunk.JobId,
                Chunk = chunk.Chunk,
                Calculated = records.Count,
                Skipped = outcomes.Count - records.Count,
                CompletedAt = time.GetUtcNow(),
            });
            db.RecalculationSkips.AddRange(outcomes.Where(o => o.Refusal is not null).Select(o => new RecalculationSkip
            {
                JobId = chunk.JobId,
                ProductId = o.ProductId,
                Reason = Truncated($"{o.Refusal!.Title}: {o.Refusal.Detail}"),
            }));
        }, cancellationToken);
    }

    private static string Truncated(string reason) => reason.Length <= 500 ? reason : reason[..500];
}
