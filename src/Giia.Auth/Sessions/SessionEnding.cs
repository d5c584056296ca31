using Giia.Auth.Data;
using Giia.Auth.Rbac;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Sessions;

/// <summary>
/// The one way a session ends (logout, revoked by its user or an administrator, password changed or reset,
/// deactivation, refresh-token reuse): its refresh tokens are revoked with the reason, and after the commit every
/// instance of Auth and every service refuses its access tokens (see <see cref="PermissionChangeInterceptor"/>).
/// </summary>
public sealed class SessionEnding(PermissionChangeInterceptor permissionChanges)
{
    /// <summary>Ends one session of the user; the number of refresh tokens revoked (0: nothing live to end).</summary>
    public Task<int> EndSessionAsync(AuthDbContext db, Guid userId, Guid sessionId, string reason, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        EndAsync(db, userId, sessionId, null, reason, now, cancellationToken);

    /// <summary>Ends every session of the user but <paramref name="except"/> (the one asking, for a password change).</summary>
    public Task<int> EndAllSessionsAsync(AuthDbContext db, Guid userId, string reason, DateTimeOffset now,
        CancellationToken cancellationToken, Guid? except = null) =>
        EndAsync(db, userId, null, except, reason, now, cancellationToken);

    private async Task<int> EndAsync(AuthDbContext db, Guid userId, Guid? sessionId, Guid? except, string reason, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var tokens = db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null);
        if (sessionId is { } session)
        {
            tokens = tokens.Where(t => t.FamilyId == session);
        }

        if (except is { } kept)
        {
            tokens = tokens.Where(t => t.FamilyId != kept);
        }

        var ended = await tokens.ExecuteUpdateAsync(set => set.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, reason),
            cancellationToken);
        if (ended > 0)
        {
            await permissionChanges.SessionsEndedAsync(db, userId, sessionId);
        }

        return ended;
    }
}
