using Giia.DlqWorker.Parking;

using Microsoft.EntityFrameworkCore;

namespace Giia.DlqWorker.Data;

public sealed class DlqDbContext(DbContextOptions<DlqDbContext> options) : DbContext(options)
{
    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DlqDbContext).Assembly);
    }
}
