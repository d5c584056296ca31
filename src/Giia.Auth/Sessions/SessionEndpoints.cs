using System.Security.Claims;

using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Tokens;

using Giia.ServiceDefaults;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Sessions;

/// <summary>One's own sessions (refresh-token families): list them, end one.</summary>
public static class SessionEndpoints
{
    public sealed record SessionView(Guid Id, DateTimeOffset StartedAt, DateTimeOffset LastRefreshedAt, DateTimeOffset ExpiresAt,
        string? IpAddress, string? UserAgent, bool Current);

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/auth/sessions").WithTags("Sessions").WithRequestBodyLimit(RequestBodyLimits.SmallJson).RequireAuthorization();
        api.MapGet("/", ListAsync).WithName("ListSessions")
            .WithSummary("List one's sessions")
            .WithDescription("The caller's live sessions (one per sign-in), marking the current one.");
        api.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeSession")
            .WithSummary("End one of one's sessions")
            .WithDescription("Ends a session of the caller; its refresh token stops working at once.");
        return endpoints;
    }

    private static async Task<Ok<List<SessionView>>> ListAsync(ClaimsPrincipal principal, AuthDbContext db, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok(await LiveSessionsAsync(db, Claims.UserIdOf(principal)!.Value, Claims.SessionOf(principal), time.GetUtcNow(), ct));

    /// <summary>A user's live sessions, newest first, marking <paramref name="current"/>.</summary>
    internal static async Task<List<SessionView>> LiveSessionsAsync(AuthDbContext db, Guid userId, Guid? current, DateTimeOffset now,
        CancellationToken ct)
    {
        var live = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.RevokedAt == null && t.RotatedAt == null && t.ExpiresAt > now)
            .OrderByDescending(t => t.CreatedAt)
            .ToListAsync(ct);
        return live.Select(t => new SessionView(t.FamilyId, t.SessionStartedAt, t.CreatedAt, t.ExpiresAt, t.IpAddress, t.UserAgent,
            t.FamilyId == current)).ToList();
    }

    private static async Task<Results<NoContent, NotFound>> RevokeAsync(Guid id, ClaimsPrincipal principal, AuthDbContext db, AuditTrail audit,
        TimeProvider time, CancellationToken ct)
    {
        var userId = Claims.UserIdOf(principal)!.Value;
        var now = time.GetUtcNow();
        var revoked = await db.InTransactionAsync(async token =>
        {
            var count = await db.EndSessionAsync(userId, id, "revoked_by_user", now, token);
            if (count > 0)
            {
                audit.Record(db, AuditActions.SessionRevoke, AuditResults.Success, Claims.OrganizationOf(principal), userId, "session", id);
            }

            return count;
        }, ct);
        return revoked == 0 ? TypedResults.NotFound() : TypedResults.NoContent();
    }
}
