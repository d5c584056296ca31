using System.Security.Claims;

using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Outcomes;
using Giia.Auth.Rbac;
using Giia.Auth.Users;
using Giia.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Sessions;

/// <summary>
/// An administrator's view of another user's sessions, and ending one or all of them: only users of the caller's
/// organization, never one above the caller's level, with <c>users:activate</c> confirmed inside the change.
/// </summary>
public sealed class UserSessionAdministration(AuthDbContext db, Privileges privileges, AuditTrail audit, SessionEnding sessions, TimeProvider time)
{
    public async Task<OperationResult<List<SessionView>>> ListAsync(Guid userId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.OrganizationId == organizationId, ct))
        {
            return UserAdministration.NotFound(userId);
        }

        if (await privileges.MayActOnAsync(Claims.UserIdOf(principal)!.Value, userId, organizationId, ct) is { } refused)
        {
            return refused;
        }

        return await LiveSessions.OfAsync(db, userId, Claims.SessionOf(principal), time.GetUtcNow(), ct);
    }

    /// <summary>Ends one session of the user (<paramref name="sessionId"/>) or all of them (null); the count ended.</summary>
    public async Task<OperationResult<SessionsEnded>> EndAsync(Guid userId, Guid? sessionId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        return await db.InTransactionAsync<OperationResult<SessionsEnded>>(async token =>
        {
            if (await privileges.BeginChangeAsync(actor, organizationId, Permissions.UsersActivate, token) is { } gone)
            {
                return gone;
            }

            if (!await db.Users.AnyAsync(u => u.Id == userId && u.OrganizationId == organizationId, token))
            {
                return UserAdministration.NotFound(userId);
            }

            if (await privileges.MayActOnAsync(actor, userId, organizationId, token) is { } refused)
            {
                return refused;
            }

            var now = time.GetUtcNow();
            var ended = sessionId is { } id
                ? await sessions.EndSessionAsync(db, userId, id, "ended_by_admin", now, token)
                : await sessions.EndAllSessionsAsync(db, userId, "ended_by_admin", now, token);
            if (sessionId is not null && ended == 0)
            {
                return Refusal.NotFound("Session not found", $"User {userId} has no live session {sessionId}.");
            }

            audit.Record(db, AuditActions.SessionRevoke, AuditResults.Success, organizationId, actor, sessionId is null ? "user" : "session",
                sessionId ?? userId, new { user = userId, all = sessionId is null, by = "admin" });
            return new SessionsEnded(ended);
        }, ct);
    }
}
