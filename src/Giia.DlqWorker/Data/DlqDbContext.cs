using Giia.DlqWorker.Parking;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

namespace Giia.DlqWorker.Data;

public sealed class DlqDbContext(DbContextOptions<DlqDbContext> options) : DbContext(options)
{
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // The outbox carries the audit.recorded events of operators' replays and discards.
        modelBuilder.AddEventTables();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DlqDbContext).Assembly);
    }
}
