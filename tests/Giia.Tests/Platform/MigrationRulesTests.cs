extern alias authservice;
extern alias catalogservice;
extern alias ddmrpservice;
extern alias dlqservice;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Giia.Tests.Platform;

/// <summary>
/// Migrations run as a Job against a live database: an index added to a table that already exists is built
/// CONCURRENTLY (writes go on meanwhile); only a table created in the same migration, still empty, may skip that.
/// </summary>
public sealed class MigrationRulesTests
{
    private const string ProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private const string ConcurrentlyAnnotation = "Npgsql:CreatedConcurrently";

    /// <summary>Migrations up to this one were written before any database held data; the rule applies after it.</summary>
    private const string Baseline = "20261128173958";

    public static TheoryData<string> Contexts => new() { "auth", "catalog", "dlq", "ddmrp" };

    /// <summary>Branches that each add a migration merge their snapshots by text: the result must still be the model.</summary>
    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_migrations_describe_the_whole_model(string service)
    {
        using var context = ContextOf(service);

        Assert.False(context.Database.HasPendingModelChanges(), $"{service}: the model has changes no migration describes (dotnet ef migrations add)");
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Indexes_on_existing_tables_are_created_concurrently(string service)
    {
        using var context = ContextOf(service);
        var assembly = context.GetService<IMigrationsAssembly>();
        Assert.NotEmpty(assembly.Migrations);
        var offending = new List<string>();
        foreach (var (id, type) in assembly.Migrations.Where(m => string.CompareOrdinal(m.Key, Baseline) > 0 && !m.Key.StartsWith(Baseline, StringComparison.Ordinal)))
        {
            var migration = assembly.CreateMigration(type, ProviderName);
            var created = migration.UpOperations.OfType<CreateTableOperation>().Select(t => (t.Schema, t.Name)).ToHashSet();
            offending.AddRange(migration.UpOperations.OfType<CreateIndexOperation>()
                .Where(index => !created.Contains((index.Schema, index.Table)) && index[ConcurrentlyAnnotation] is not true)
                .Select(index => $"{id}: {index.Name} on {index.Table}"));
        }

        Assert.True(offending.Count == 0, $"indexes on existing tables without IsCreatedConcurrently(): {string.Join(", ", offending)}");
    }

    private static DbContext ContextOf(string service) => service switch
    {
        "auth" => new authservice::Giia.Auth.Data.AuthDbContext(Options<authservice::Giia.Auth.Data.AuthDbContext>()),
        "catalog" => new catalogservice::Giia.Catalog.Data.CatalogDbContext(Options<catalogservice::Giia.Catalog.Data.CatalogDbContext>()),
        "ddmrp" => new ddmrpservice::Giia.Ddmrp.Data.DdmrpDbContext(Options<ddmrpservice::Giia.Ddmrp.Data.DdmrpDbContext>()),
        _ => new dlqservice::Giia.DlqWorker.Data.DlqDbContext(Options<dlqservice::Giia.DlqWorker.Data.DlqDbContext>()),
    };

    private static DbContextOptions<T> Options<T>() where T : DbContext =>
        new DbContextOptionsBuilder<T>().UseNpgsql("Host=localhost;Database=none").Options;
}
