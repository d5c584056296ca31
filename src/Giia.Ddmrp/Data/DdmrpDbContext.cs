using Giia.Ddmrp.Buffers;
using Giia.Ddmrp.Inputs;
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

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The outbox carries buffer.calculated.
        modelBuilder.AddEventTables();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DdmrpDbContext).Assembly);
    }
}
