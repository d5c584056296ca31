using Microsoft.EntityFrameworkCore;

namespace Giia.Data;

/// <summary>Seeds reference data after migrations; must be idempotent (it runs at every migration run).</summary>
public interface IDbSeeder<in TContext> where TContext : DbContext
{
    Task SeedAsync(TContext context, CancellationToken cancellationToken);
}
