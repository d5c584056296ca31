using System.Globalization;
using System.Security.Claims;

using Giia.Auth.Client;
using Giia.ServiceDefaults;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

using Npgsql;

namespace Giia.Catalog.Api;

/// <summary>What every Catalog endpoint shares: the caller's organization, ids from routes, ETags, and the problems it answers with.</summary>
public static class CatalogApi
{
    /// <summary>The caller's organization, from their validated token (the endpoints run only for authenticated callers).</summary>
    public static Guid OrganizationOf(ClaimsPrincipal user) =>
        Claims.OrganizationOf(user) ?? throw new InvalidOperationException("an authenticated caller without an organization");

    /// <summary>Parses a route id; a malformed one is a 400 naming the parameter, not a 404.</summary>
    public static bool TryParseId(string? value, string field, out Guid id, out ValidationProblem? problem)
    {
        if (Guid.TryParse(value, out id))
        {
            problem = null;
            return true;
        }

        problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{field} must be a UUID."] });
        return false;
    }

    /// <summary>GET of one row of the caller's organization: 400 for a malformed id, 404 when absent, else the view with its ETag.</summary>
    public static async Task<Results<Ok<TView>, ValidationProblem, ProblemHttpResult>> GetOneAsync<T, TView>(IQueryable<T> organizationRows,
        string id, string kind, Func<T, TView> view, HttpContext http, CancellationToken ct) where T : class, ICatalogEntity
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!TryParseId(id, "id", out var rowId, out var invalid))
        {
            return invalid!;
        }

        var row = await organizationRows.SingleOrDefaultAsync(r => r.Id == rowId, ct);
        if (row is null)
        {
            return NotFound(kind, rowId);
        }

        SetETag(http, row.Version);
        return TypedResults.Ok(view(row));
    }

    /// <summary>A row of the caller's organization, tracked for a change; null when absent or another organization's.</summary>
    public static Task<T?> FindAsync<T>(DbSet<T> rows, Guid organizationId, Guid id, CancellationToken ct) where T : class, ICatalogEntity =>
        rows.SingleOrDefaultAsync(r => r.Id == id && r.OrganizationId == organizationId, ct);

    /// <summary>The paging errors added to the filters' errors; null when the request is valid.</summary>
    public static ValidationProblem? Invalid(PageRequest page, FieldErrors filterErrors)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(filterErrors);
        foreach (var (field, messages) in page.Validate())
        {
            filterErrors.Add(field, messages[0]);
        }

        return filterErrors.Any ? filterErrors.Problem() : null;
    }

    /// <summary>One page of an ordered query, with the total.</summary>
    public static async Task<Page<TView>> PageAsync<T, TView>(IOrderedQueryable<T> ordered, PageRequest page, Func<T, TView> view, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(page);
        var total = await ordered.LongCountAsync(ct);
        var items = await ordered.Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new Page<TView>([.. items.Select(view)], page.Number, page.Size, total);
    }

    public static string ETagOf(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version an update is based on, from If-Match. Updates require it (428 without it) so that two editors
    /// working from the same copy cannot silently overwrite each other.
    /// </summary>
    public static ProblemHttpResult? CheckIfMatch(HttpRequest request, uint current)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ifMatch = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required",
                detail: "Send the ETag of the version you are changing in If-Match (read it from GET).");
        }

        var tags = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return tags.Contains("*") || tags.Contains(ETagOf(current)) ? null : Stale();
    }

    public static ProblemHttpResult Stale() => TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed,
        title: "Changed since you read it", detail: "The resource was changed by someone else; read it again and reapply your change.");

    public static ProblemHttpResult NotFound(string kind, Guid id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: $"{kind} not found", detail: $"No {kind.ToLowerInvariant()} {id} in your organization.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    /// <summary>
    /// Saves a change and maps what the database refused: a concurrent change of the row (412), a unique index
    /// (<paramref name="onDuplicate"/>, 409), a foreign key (<paramref name="onMissingReference"/>, 409). Null when saved.
    /// </summary>
    public static async Task<ProblemHttpResult?> SaveAsync(DbContext db, CancellationToken ct, ProblemHttpResult? onDuplicate = null,
        ProblemHttpResult? onMissingReference = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Stale();
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
    public static bool IsUniqueViolation(Exception exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public static bool IsForeignKeyViolation(Exception exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    public static void SetETag(HttpContext http, uint version)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.ETag = ETagOf(version);
    }

    public static string Lower(Enum value) => value.ToString().ToLowerInvariant();

    /// <summary>Maps a documented lower-case value (e.g. <c>active</c>) to its enum; anything else is null.</summary>
    public static TEnum? ParseEnum<TEnum>(string? value) where TEnum : struct, Enum =>
        value is not null && Names<TEnum>().Contains(value) ? Enum.Parse<TEnum>(value, ignoreCase: true) : null;

    public static string[] Names<TEnum>() where TEnum : struct, Enum => [.. Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant())];
}
