using System.Globalization;
using System.Security.Claims;

using Giia.Auth.Client;

using Microsoft.AspNetCore.Http.HttpResults;

using Npgsql;

namespace Giia.Catalog.Api;

/// <summary>What every Catalog endpoint shares: the caller's organization, ids from routes, ETags, and the problems it answers with.</summary>
public static class CatalogApi
{
    public const string Read = "catalog:read";
    public const string Write = "catalog:write";
    public const string Delete = "catalog:delete";

    /// <summary>The caller's organization, from their validated token (the endpoints run only for authenticated callers).</summary>
    public static Guid OrganizationOf(ClaimsPrincipal user) =>
        PermissionClient.OrganizationOf(user) ?? throw new InvalidOperationException("an authenticated caller without an organization");

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
