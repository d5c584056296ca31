using Giia.Data;
using Giia.Ddmrp.Data;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Ddmrp.Recalculations;

/// <summary>
/// Queues recalculation jobs: the job row and its chunks (as <c>buffer.recalculation_chunk</c> work items in the
/// outbox) in one transaction, so a job exists exactly when all its work is sure to reach the work queue.
/// </summary>
internal sealed class RecalculationJobs(DdmrpDbContext db, EventOutbox outbox, TimeProvider time, IOptions<RecalculationOptions> options)
{
    public const int MaxReasonLength = 300;

    /// <summary>A job for these products, added to the caller's transaction (the caller saves).</summary>
    public Task<RecalculationJob> QueueForProductsAsync(Guid organizationId, IReadOnlyList<Guid> productIds, RecalculationTrigger trigger,
        string reason, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Queue(organizationId, productIds, trigger, reason, wholeOrganization: false, requestedBy: null, nightlyDay: null));
    }

    /// <summary>
    /// A job for every product of the organization that has a buffer profile and is not discontinued, unless a
    /// whole-organization job is still running (then that one is returned) or, for a nightly job, the day's exists.
    /// </summary>
    public Task<(RecalculationJob? Queued, RecalculationJob? Running)> StartForOrganizationAsync(Guid organizationId,
        RecalculationTrigger trigger, Guid? requestedBy, DateOnly? nightlyDay, CancellationToken cancellationToken) =>
        db.InTransactionAsync<(RecalculationJob?, RecalculationJob?)>(async ct =>
        {
            // The check below and the insert are one decision per organization: concurrent starters queue behind this lock.
            await db.Database.ExecuteSqlAsync(
                $"SELECT pg_advisory_xact_lock(hashtextextended({"giia.recalculation:" + organizationId}, 0))", ct);
            if (nightlyDay is not null && await db.RecalculationJobs.AnyAsync(j => j.OrganizationId == organizationId && j.NightlyDay == nightlyDay, ct))
            {
                return (null, null);
            }

            var fresh = time.GetUtcNow() - options.Value.StaleAfter;
            var running = await db.RecalculationJobs.AsNoTracking()
                .Where(j => j.OrganizationId == organizationId && j.WholeOrganization && j.QueuedAt > fresh
                    && db.RecalculationChunks.Count(c => c.JobId == j.Id) < j.ChunkCount)
                .OrderByDescending(j => j.QueuedAt)
                .FirstOrDefaultAsync(ct);
            if (running is not null)
            {
                return (null, running);
            }

            var products = await db.CopiedProducts.AsNoTracking()
                .Where(p => p.OrganizationId == organizationId && p.BufferProfileId != null && p.Status != "discontinued"
                    && p.Status != CatalogCopy.CatalogCopyStore.DeletedStatus)
                .OrderBy(p => p.ProductId).Select(p => p.ProductId).ToListAsync(ct);
            return (Queue(organizationId, products, trigger, "", wholeOrganization: true, requestedBy, nightlyDay), null);
        }, cancellationToken);

    public const int MaxSkipsShown = 100;

    /// <summary>One job of the organization with its progress; null when it is none of the organization's.</summary>
    public async Task<RecalculationJobView?> FindAsync(Guid organizationId, Guid jobId, CancellationToken cancellationToken)
    {
        var job = await db.RecalculationJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId && j.OrganizationId == organizationId, cancellationToken);
        if (job is null)
        {
            return null;
        }

        var progress = await ProgressAsync([job.Id], cancellationToken);
        var skips = await db.RecalculationSkips.AsNoTracking().Where(s => s.JobId == job.Id).OrderBy(s => s.ProductId).Take(MaxSkipsShown)
            .Select(s => new RecalculationSkipView(s.ProductId, s.Reason)).ToListAsync(cancellationToken);
        return View(job, progress.GetValueOrDefault(job.Id), skips);
    }

    /// <summary>A page of the organization's jobs, newest first (without their skips).</summary>
    public async Task<Page<RecalculationJobView>> ListAsync(Guid organizationId, PageRequest page, CancellationToken cancellationToken)
    {
        var query = db.RecalculationJobs.AsNoTracking().Where(j => j.OrganizationId == organizationId);
        var total = await query.LongCountAsync(cancellationToken);
        var jobs = await query.OrderByDescending(j => j.QueuedAt).ThenByDescending(j => j.Id).Skip(page.Skip).Take(page.Size).ToListAsync(cancellationToken);
        var progress = await ProgressAsync([.. jobs.Select(j => j.Id)], cancellationToken);
        return new Page<RecalculationJobView>([.. jobs.Select(j => View(j, progress.GetValueOrDefault(j.Id), []))], page.Number, page.Size, total);
    }

    private async Task<Dictionary<Guid, ChunkProgress>> ProgressAsync(Guid[] jobIds, CancellationToken cancellationToken) =>
        await db.RecalculationChunks.AsNoTracking().Where(c => jobIds.Contains(c.JobId)).GroupBy(c => c.JobId)
            .Select(g => new ChunkProgress(g.Key, g.Count(), g.Sum(c => c.Calculated), g.Sum(c => c.Skipped), g.Max(c => c.CompletedAt)))
            .ToDictionaryAsync(p => p.JobId, cancellationToken);

    private RecalculationJobView View(RecalculationJob job, ChunkProgress? progress, IReadOnlyList<RecalculationSkipView> skips)
    {
        var done = progress?.Chunks ?? 0;
        var completed = done >= job.ChunkCount;
        var status = completed ? "completed"
            : job.QueuedAt < time.GetUtcNow() - options.Value.StaleAfter ? "stalled"
            : done == 0 ? "queued"
            : "running";
        return new RecalculationJobView(job.Id, job.Trigger.ToString().ToLowerInvariant(), job.Reason, job.WholeOrganization, status,
            job.ProductCount, progress?.Calculated ?? 0, progress?.Skipped ?? 0, job.ChunkCount, done, job.QueuedAt,
            completed ? progress?.LastCompletedAt ?? job.QueuedAt : null, skips);
    }

    private sealed record ChunkProgress(Guid JobId, int Chunks, int Calculated, int Skipped, DateTimeOffset LastCompletedAt);

    private RecalculationJob Queue(Guid organizationId, IReadOnlyList<Guid> productIds, RecalculationTrigger trigger, string reason,
        bool wholeOrganization, Guid? requestedBy, DateOnly? nightlyDay)
    {
        var now = time.GetUtcNow();
        var chunks = productIds.Chunk(options.Value.ChunkSize).ToList();
        var job = new RecalculationJob
        {
            Id = Guid.CreateVersion7(now),
            OrganizationId = organizationId,
            Trigger = trigger,
            Reason = reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength],
            WholeOrganization = wholeOrganization,
            RequestedBy = requestedBy,
            NightlyDay = nightlyDay,
            ProductCount = productIds.Count,
            ChunkCount = chunks.Count,
            QueuedAt = now,
        };
        db.RecalculationJobs.Add(job);
        for (var i = 0; i < chunks.Count; i++)
        {
            outbox.Enqueue(db, new BufferRecalculationChunk(job.Id, organizationId, i, chunks[i]), organizationId, $"recalculations/{job.Id}");
        }

        return job;
    }
}
