using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Outcomes;
using Giia.Auth.Sessions;
using Giia.Auth.Tokens;
using Giia.Data;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Accounts;

/// <summary>
/// Sign-in and sessions: login (with lockout), refresh with rotation and reuse detection, and logout. Each change and
/// its audit record commit together.
/// </summary>
public sealed class SignIn(
    AuthDbContext db,
    PasswordHasher hasher,
    AccessTokens accessTokens,
    AuditTrail audit,
    IOptions<JwtOptions> jwt,
    IOptions<LockoutOptions> lockout,
    IOptions<SessionLifetimeOptions> sessions,
    SessionEnding sessionEnding,
    TimeProvider time)
{
    public const string InvalidCredentials = "Invalid email or password.";

    public async Task<OperationResult<TokenPair>> LoginAsync(string email, string password, RequestMetadata request,
        CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(email);
        var now = time.GetUtcNow();
        var key = LoginThrottle.KeyFor(normalized, request.IpAddress);
        var lockedUntil = await db.LoginThrottles.AsNoTracking().Where(t => t.Key == key).Select(t => t.LockedUntil).SingleOrDefaultAsync(cancellationToken);
        if (lockedUntil > now)
        {
            return await LockedAsync(lockedUntil.Value, now, request, cancellationToken);
        }

        // Read without tracking: parallel logins of one user must not meet on the row version (see below).
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        var passwordOk = false;
        var upgrade = false;
        if (user?.PasswordHash is { } hash)
        {
            (passwordOk, upgrade) = await hasher.VerifyAsync(password, hash, cancellationToken);
        }
        else
        {
            await hasher.VerifyAgainstNothingAsync(password, cancellationToken); // same time whether or not the email exists
        }

        if (!passwordOk)
        {
            var counted = await LoginThrottle.CountFailureAsync(db, key, lockout.Value, now, cancellationToken);
            if (counted.WasLocked(lockout.Value))
            {
                return await LockedAsync(counted.LockedUntil!.Value, now, request, cancellationToken);
            }

            audit.Record(db, AuditActions.Login, AuditResults.Failure, user?.OrganizationId, user?.Id,
                metadata: new { reason = "invalid_credentials" }, request: request);
            await db.SaveChangesAsync(cancellationToken);
            return Refusal.Unauthorized(InvalidCredentials);
        }

        if (user!.EmailVerifiedAt is null || user.Status != UserStatus.Active)
        {
            var reason = user.EmailVerifiedAt is null ? "email_not_verified" : $"status_{user.Status.ToString().ToLowerInvariant()}";
            await db.InTransactionAsync(async ct =>
            {
                await LoginThrottle.ClearAsync(db, key, ct);
                audit.Record(db, AuditActions.Login, AuditResults.Failure, user.OrganizationId, user.Id, metadata: new { reason }, request: request);
            }, cancellationToken);
            // An unverified account answers as a wrong password would: else registering an address and signing in
            // with the password one chose would tell a new address (unverified) from one that has an account.
            return user.EmailVerifiedAt is null
                ? Refusal.Unauthorized(InvalidCredentials)
                : NotAllowed("This account is not active.");
        }

        if (await OrganizationSuspendedAsync(user.OrganizationId, cancellationToken))
        {
            audit.Record(db, AuditActions.Login, AuditResults.Failure, user.OrganizationId, user.Id, metadata: new { reason = "organization_suspended" },
                request: request);
            await db.SaveChangesAsync(cancellationToken);
            return NotAllowed(SuspendedMessage);
        }

        var newHash = upgrade ? await hasher.HashAsync(password, cancellationToken) : null;
        var pair = await db.InTransactionAsync(async ct =>
        {
            await LoginThrottle.ClearAsync(db, key, ct);
            // Set-based updates: twenty parallel logins of one user all succeed instead of racing on its row version.
            await db.Users.Where(u => u.Id == user.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.LastLoginAt, now), ct);
            if (newHash is not null)
            {
                await db.Users.Where(u => u.Id == user.Id && u.PasswordHash == user.PasswordHash)
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.PasswordHash, newHash), ct);
            }

            var started = await StartSessionAsync(user, Guid.CreateVersion7(), now, request, ct);
            audit.Record(db, AuditActions.Login, AuditResults.Success, user.OrganizationId, user.Id, request: request);
            return started;
        }, cancellationToken);
        return pair;
    }

    private async Task<OperationResult<TokenPair>> LockedAsync(DateTimeOffset lockedUntil, DateTimeOffset now, RequestMetadata request,
        CancellationToken cancellationToken)
    {
        audit.Record(db, AuditActions.Login, AuditResults.Failure, null, null, metadata: new { reason = "locked" }, request: request);
        await db.SaveChangesAsync(cancellationToken);
        return new Refusal(RefusalKind.Locked, "Too many failed logins", "Too many failed logins; try again later.", RetryAfter: lockedUntil - now);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair. The old token is claimed with a conditional update, so of two
    /// concurrent refreshes one wins; a token already exchanged (a replay, or a thief) revokes its whole session.
    /// </summary>
    public async Task<OperationResult<TokenPair>> RefreshAsync(string refreshToken, RequestMetadata request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = SecretTokens.Hash(refreshToken);
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return Refusal.Unauthorized("The refresh token is invalid or has expired.");
        }

        if (await db.Users.AnyAsync(u => u.Id == token.UserId && db.Organizations.Any(o => o.Id == u.OrganizationId
                && o.Status == Organizations.OrganizationStatus.Suspended), cancellationToken))
        {
            // Refused before the token is claimed: the session can go on once the organization is reinstated.
            return NotAllowed(SuspendedMessage);
        }

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == token.UserId, cancellationToken);
        // The claim and the successor commit together: a concurrent second use waits on the claimed row until this
        // commits, then finds it rotated and revokes the family, successor included. No successor outlives a reuse.
        return await db.InTransactionAsync<OperationResult<TokenPair>>(async ct =>
        {
            var claimed = await db.RefreshTokens
                .Where(t => t.Id == token.Id && t.RotatedAt == null && t.RevokedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.RotatedAt, now), ct);
            if (claimed == 0)
            {
                await RevokeFamilyAsync(token, "reuse", ct);
                audit.Record(db, AuditActions.RefreshReuse, AuditResults.Denied, user.OrganizationId, user.Id, "session", token.FamilyId,
                    new { family = token.FamilyId }, request);
                return Refusal.Unauthorized("The refresh token was already used; the session has been ended.");
            }

            if (user.Status != UserStatus.Active)
            {
                await RevokeFamilyAsync(token, "user_inactive", ct);
                return Refusal.Unauthorized("This account is not active.");
            }

            // Rows written before session_started_at existed (or by an older instance mid-rollout) carry its default.
            var started = token.SessionStartedAt == default ? token.CreatedAt : token.SessionStartedAt;
            if (sessions.Value.RefreshTokenExpiry(now, started, jwt.Value.RefreshTokenLifetime) <= now)
            {
                await RevokeFamilyAsync(token, "absolute_lifetime", ct);
                return Refusal.Unauthorized("The session has reached its lifetime; sign in again.");
            }

            return await StartSessionAsync(user, token.FamilyId, started, request, ct);
        }, cancellationToken);
    }

    /// <summary>Ends the session the refresh token belongs to. Unknown tokens are ignored (nothing to learn from the answer).</summary>
    public async Task LogoutAsync(string refreshToken, RequestMetadata request, CancellationToken cancellationToken)
    {
        var hash = SecretTokens.Hash(refreshToken);
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null)
        {
            return;
        }

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == token.UserId, cancellationToken);
        await db.InTransactionAsync(async ct =>
        {
            await RevokeFamilyAsync(token, "logout", ct);
            audit.Record(db, AuditActions.Logout, AuditResults.Success, user.OrganizationId, user.Id, "session", token.FamilyId, request: request);
        }, cancellationToken);
    }

    public Task<List<string>> RoleNamesAsync(Guid userId, CancellationToken cancellationToken) =>
        db.UserRoles.Where(ur => ur.UserId == userId).Select(ur => ur.Role!.Name).OrderBy(n => n).ToListAsync(cancellationToken);

    private async Task<TokenPair> StartSessionAsync(User user, Guid familyId, DateTimeOffset sessionStartedAt, RequestMetadata request,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refresh = SecretTokens.New();
        var refreshExpires = sessions.Value.RefreshTokenExpiry(now, sessionStartedAt, jwt.Value.RefreshTokenLifetime);
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            FamilyId = familyId,
            TokenHash = SecretTokens.Hash(refresh),
            CreatedAt = now,
            SessionStartedAt = sessionStartedAt,
            ExpiresAt = refreshExpires,
            IpAddress = request.IpAddress,
            UserAgent = request.UserAgent,
        });
        // An access token never outlives its session.
        var (access, accessExpires) = accessTokens.Issue(user, await RoleNamesAsync(user.Id, cancellationToken), familyId, refreshExpires);
        return new TokenPair(access, accessExpires, refresh, refreshExpires);
    }

    private Task RevokeFamilyAsync(RefreshToken token, string reason, CancellationToken cancellationToken) =>
        sessionEnding.EndSessionAsync(db, token.UserId, token.FamilyId, reason, time.GetUtcNow(), cancellationToken);

    private static Refusal NotAllowed(string detail) => Refusal.Forbidden("Sign-in not allowed", detail);

    private const string SuspendedMessage = "Your organization is suspended; nobody of it can sign in until it is reinstated.";

    private Task<bool> OrganizationSuspendedAsync(Guid organizationId, CancellationToken cancellationToken) =>
        db.Organizations.AnyAsync(o => o.Id == organizationId && o.Status == Organizations.OrganizationStatus.Suspended, cancellationToken);
}
