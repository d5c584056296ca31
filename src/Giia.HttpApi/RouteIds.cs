using System.Diagnostics.CodeAnalysis;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.HttpApi;

/// <summary>
/// Ids taken from a route: every service answers a malformed one the same way, with a 400 validation problem naming
/// the route parameter (<c>{ "id": ["id must be a UUID."] }</c>), never with the 404 a <c>{id:guid}</c> route constraint
/// would give, which would tell a caller "no such thing" about what is not an id at all.
/// </summary>
public static class RouteIds
{
    /// <summary>Parses <paramref name="value"/>; when it is not a UUID, <paramref name="problem"/> is the 400 naming <paramref name="parameter"/>.</summary>
    public static bool TryParse(string? value, string parameter, out Guid id, [NotNullWhen(false)] out ValidationProblem? problem)
    {
        if (Guid.TryParse(value, out id))
        {
            problem = null;
            return true;
        }

        problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { [parameter] = [$"{parameter} must be a UUID."] });
        return false;
    }

    /// <summary>Two ids of one route; a 400 names every one of them that is not a UUID.</summary>
    public static bool TryParse(string? first, string firstParameter, string? second, string secondParameter, out Guid firstId, out Guid secondId,
        [NotNullWhen(false)] out ValidationProblem? problem)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(first, out firstId))
        {
            errors[firstParameter] = [$"{firstParameter} must be a UUID."];
        }

        if (!Guid.TryParse(second, out secondId))
        {
            errors[secondParameter] = [$"{secondParameter} must be a UUID."];
        }

        problem = errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
        return problem is null;
    }
}
