using Giia.Ddmrp.Buffers;
using Giia.Ddmrp.CatalogCopy;
using Giia.Ddmrp.Inputs;
using Giia.Ddmrp.Recalculations;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.Data;

public sealed class DdmrpDbContext(DbContextOptions<DdmrpDbContext> options) : DbContext(options)
{
    public DbSet<DailyQuantityRow> DailyQuantities => Set<DailyQuantityRow>();

    public DbSet<OnHandPosition> OnHandPositions => Set<OnHandPosition>();

    public DbSet<OpenLine> OpenLines => Set<OpenLine>();

    public DbSet<BufferState> Buffers => Set<BufferState>();

    public DbSet<BufferCalculationRecord> Calculations => Set<BufferCalculationRecord>();

    public DbSet<CopiedProduct> CopiedProducts => Set<CopiedProduct>();

    public DbSet<CopiedSupplierLink> CopiedSupplierLinks => Set<CopiedSupplierLink>();

    public DbSet<CopiedSupplier> CopiedSuppliers => Set<CopiedSupplier>();

    public DbSet<CopiedBufferProfile> CopiedBufferProfiles => Set<CopiedBufferProfile>();

    public DbSet<RecalculationJob> RecalculationJobs => Set<RecalculationJob>();

    public DbSet<RecalculationChunkResult> RecalculationChunks => Set<RecalculationChunkResult>();

    public DbSet<RecalculationSkip> RecalculationSkips => Set<RecalculationSkip>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The outbox carries the buffer events and the recalculation work items; processed_events makes each
        // Catalog event and each chunk count once.
        modelBuilder.AddEventTables();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DdmrpDbContext).Assembly);
    }
}
