using Giia.Auth.Data;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Sessions;

/// <summary>The sessions of a user that can still be refreshed.</summary>
public static class LiveSessions
{
    /// <summary>A user's live sessions, newest first, marking <paramref name="current"/>.</summary>
    public static async Task<List<SessionView>> OfAsync(AuthDbContext db, Guid userId, Guid? current, DateTimeOffset now, CancellationToken ct)
    {
        var live = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.UserId == userId && t.RevokedAt == null && t.RotatedAt == null && t.ExpiresAt > now)
            .OrderByDescending(t => t.CreatedAt)
            .ToListAsync(ct);
        return live.Select(t => new SessionView(t.FamilyId, t.SessionStartedAt, t.CreatedAt, t.ExpiresAt, t.IpAddress, t.UserAgent,
            t.FamilyId == current)).ToList();
    }
}
