using Giia.Auth.Data;
using Giia.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Rbac;

/// <summary>
/// The spec's 4 system roles and 18 permissions with its mapping (Admin all, Manager 10, Analyst 4, Viewer 3), plus
/// GIIA's own <c>roles:read</c>, <c>roles:write</c>, <c>audit:read</c> and <c>dlq:read|replay|discard</c> for Admin. Idempotent: <c>ON CONFLICT DO NOTHING</c>;
/// the same SQL ships as <c>scripts/seed-roles.sql</c> for <c>scripts/seed-roles.sh</c>.
/// </summary>
public sealed class RbacSeed : IDbSeeder<AuthDbContext>
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string Analyst = "Analyst";
    public const string Viewer = "Viewer";

    public async Task SeedAsync(AuthDbContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.Database.ExecuteSqlRawAsync(Sql, cancellationToken);
    }

    public static string Sql { get; } = LoadSql();

    private static string LoadSql()
    {
        using var stream = typeof(RbacSeed).Assembly.GetManifestResourceStream("Giia.Auth.seed-roles.sql")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
