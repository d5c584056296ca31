using Microsoft.EntityFrameworkCore;

using Npgsql;

namespace Giia.Catalog.Common;

/// <summary>Saving a change (the rows and their outbox events, in one SaveChanges) and what the database refused.</summary>
public static class CatalogSave
{
    /// <summary>
    /// Saves and maps what the database refused: a concurrent change of the row (<paramref name="onStale"/>, by default
    /// <see cref="CatalogRefusal.Stale"/>), a unique index (<paramref name="onDuplicate"/>), a foreign key
    /// (<paramref name="onMissingReference"/>). Null when saved; anything else is thrown.
    /// </summary>
    public static async Task<CatalogRefusal?> SaveAsync(DbContext db, CancellationToken ct, CatalogRefusal? onDuplicate = null,
        CatalogRefusal? onMissingReference = null, CatalogRefusal? onStale = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return onStale ?? CatalogRefusal.Stale();
        }
        catch (DbUpdateException ex) when (onDuplicate is not null && IsUniqueViolation(ex))
        {
            return onDuplicate;
        }
        catch (DbUpdateException ex) when (onMissingReference is not null && IsForeignKeyViolation(ex))
        {
            return onMissingReference;
        }
    }

    /// <summary>A unique index said no: a concurrent writer took the same SKU, code or name between our check and our insert.</summary>
    public static bool IsUniqueViolation(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
    }

    public static bool IsForeignKeyViolation(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };
    }
}
