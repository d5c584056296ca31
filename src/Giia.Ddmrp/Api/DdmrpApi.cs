using System.Security.Claims;

using Giia.Auth.Client;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Ddmrp.Api;

/// <summary>What every DDMRP endpoint shares: the caller's organization, ids from routes, and the problems it answers with.</summary>
public static class DdmrpApi
{
    /// <summary>The caller's organization, from their validated token (the endpoints run only for authenticated callers).</summary>
    public static Guid OrganizationOf(ClaimsPrincipal user) =>
        Claims.OrganizationOf(user) ?? throw new InvalidOperationException("an authenticated caller without an organization");

    /// <summary>Parses a route id; a malformed one is a 400 naming the parameter, not a 404.</summary>
    public static bool TryParseId(string? value, string field, out Guid id, out ValidationProblem? problem)
    {
        if (Guid.TryParse(value, out id) && id != Guid.Empty)
        {
            problem = null;
            return true;
        }

        problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{field} must be a UUID."] });
        return false;
    }

    public static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
