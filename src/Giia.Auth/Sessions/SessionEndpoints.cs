using System.Security.Claims;

using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Tokens;

using Giia.Data;
using Giia.HttpApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Sessions;

/// <summary>One's own sessions (refresh-token families): list them, end one.</summary>
public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/auth/sessions").WithTags("Sessions").WithRequestBodyLimit(RequestBodyLimits.SmallJson).RequireAuthorization();
        api.MapGet("/", ListAsync).WithName("ListSessions")
            .WithSummary("List one's sessions")
            .WithDescription("The caller's live sessions (one per sign-in), marking the current one.");
        api.MapDelete("/{id}", RevokeAsync).WithName("RevokeSession").ProducesValidationProblem()
            .WithSummary("End one of one's sessions")
            .WithDescription("Ends a session of the caller; its refresh token stops working at once.");
        return endpoints;
    }

    private static async Task<Ok<List<SessionView>>> ListAsync(ClaimsPrincipal principal, AuthDbContext db, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok(await LiveSessions.OfAsync(db, Claims.UserIdOf(principal)!.Value, Claims.SessionOf(principal), time.GetUtcNow(), ct));

    private static async Task<Results<NoContent, ValidationProblem, NotFound>> RevokeAsync(string id, ClaimsPrincipal principal, AuthDbContext db,
        SessionEnding sessions, AuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        if (!RouteIds.TryParse(id, "id", out var sessionId, out var malformed))
        {
            return malformed;
        }

        var userId = Claims.UserIdOf(principal)!.Value;
        var now = time.GetUtcNow();
        var revoked = await db.InTransactionAsync(async token =>
        {
            var count = await sessions.EndSessionAsync(db, userId, sessionId, "revoked_by_user", now, token);
            if (count > 0)
            {
                audit.Record(db, AuditActions.SessionRevoke, AuditResults.Success, Claims.OrganizationOf(principal), userId, "session", sessionId);
            }

            return count;
        }, ct);
        return revoked == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
