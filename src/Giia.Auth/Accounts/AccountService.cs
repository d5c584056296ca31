using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Organizations;
using Giia.Auth.Rbac;
using Giia.Auth.Sessions;
using Giia.Auth.Tokens;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

using Npgsql;

namespace Giia.Auth.Accounts;

public enum Outcome
{
    Ok,
    Invalid,
    Conflict,
    Unauthorized,
    Forbidden,
    Locked,
    NotFound,
}

public sealed record TokenPair(string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);

public sealed record AccountResult<T>(Outcome Outcome, T? Value = default, string? Message = null, TimeSpan? RetryAfter = null);

public static class AccountResult
{
    public static AccountResult<T> Ok<T>(T value) => new(Outcome.Ok, value);

    public static AccountResult<T> Fail<T>(Outcome outcome, string message, TimeSpan? retryAfter = null) => new(outcome, default, message, retryAfter);
}

/// <summary>
/// The account lifecycle: registration, verification, login (with lockout), refresh with rotation and reuse detection,
/// logout, password change and reset. Each change, its event and its audit record commit together.
/// </summary>
public sealed class AccountService(
    AuthDbContext db,
    PasswordHasher hasher,
    PasswordPolicy policy,
    AccessTokens accessTokens,
    EventOutbox outbox,
    AuditTrail audit,
    IOptions<JwtOptions> jwt,
    IOptions<LockoutOptions> lockout,
    IOptions<SessionLifetimeOptions> sessions,
    TimeProvider time)
{
    public const string InvalidCredentials = "Invalid email or password.";

    public async Task<AccountResult<User>> RegisterAsync(string email, string password, string name, string organizationName,
        CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(email);
        var now = time.GetUtcNow();
        var organization = new Organization
        {
            Id = Guid.CreateVersion7(),
            Name = organizationName.Trim(),
            Slug = Slugs.From(organizationName),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organization.Id,
            Email = normalized,
            Name = name.Trim(),
            PasswordHash = await hasher.HashAsync(password, cancellationToken),
            Status = UserStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (await db.Users.AsNoTracking().Where(u => u.Email == normalized).Select(u => new { u.Id, u.OrganizationId })
                .SingleOrDefaultAsync(cancellationToken) is { } owner)
        {
            return await AttemptedAsync(owner.Id, owner.OrganizationId, user, now, cancellationToken);
        }

        var admin = await db.Roles.SingleAsync(r => r.OrganizationId == null && r.Name == RbacSeed.Admin, cancellationToken);
        db.Organizations.Add(organization);
        db.Users.Add(user);
        // The first user of a new organization administers it.
        db.UserRoles.Add(new UserRole { UserId = user.Id, RoleId = admin.Id, OrganizationId = organization.Id, AssignedAt = now });
        outbox.Enqueue(db, new UserRegistered(user.Id, user.Email, user.Name, organization.Id, "pending", now), organization.Id, $"users/{user.Id}");
        audit.Record(db, AuditActions.Register, AuditResults.Success, organization.Id, user.Id, resourceId: user.Id);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: var constraint }
            && constraint?.Contains("email", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Registered at the same moment by another request: that account is the owner now.
            db.ChangeTracker.Clear();
            var winner = await db.Users.AsNoTracking().Where(u => u.Email == normalized).Select(u => new { u.Id, u.OrganizationId })
                .SingleAsync(cancellationToken);
            return await AttemptedAsync(winner.Id, winner.OrganizationId, user, now, cancellationToken);
        }

        return AccountResult.Ok(user);
    }

    /// <summary>
    /// A registration with the address of an existing account answers exactly as a new one would (the same status and
    /// body, with ids that exist nowhere, after the same password hashing), so it tells nobody which addresses have
    /// accounts (ASVS 6.3.8). The owner is told by mail; the attempt is in their organization's audit log.
    /// </summary>
    private async Task<AccountResult<User>> AttemptedAsync(Guid ownerId, Guid ownerOrganizationId, User unsaved, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // One mail an hour at most, however often the address is tried: sign-up must not become a way to flood an inbox.
        var since = now - TimeSpan.FromHours(1);
        if (!await db.AuditLogs.AnyAsync(a => a.UserId == ownerId && a.Action == AuditActions.Register && a.Result == AuditResults.Denied
                && a.CreatedAt > since, cancellationToken))
        {
            outbox.Enqueue(db, new UserRegistrationAttempted(ownerId, ownerOrganizationId, now), ownerOrganizationId, $"users/{ownerId}");
        }

        audit.Record(db, AuditActions.Register, AuditResults.Denied, ownerOrganizationId, ownerId, resourceId: ownerId,
            metadata: new { reason = "email_registered" });
        await db.SaveChangesAsync(cancellationToken);
        return AccountResult.Ok(unsaved);
    }

    public async Task<AccountResult<User>> VerifyEmailAsync(string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (record, user) = await RedeemAsync(token, OneTimeTokenPurpose.VerifyEmail, cancellationToken);
        if (record is null || user is null)
        {
            return AccountResult.Fail<User>(Outcome.Invalid, "The verification link is invalid or has expired.");
        }

        record.UsedAt = now;
        if (user.EmailVerifiedAt is null)
        {
            user.EmailVerifiedAt = now;
            if (user.Status == UserStatus.Pending)
            {
                user.Status = UserStatus.Active;
            }

            user.UpdatedAt = now;
            outbox.Enqueue(db, new UserVerified(user.Id, user.Email, user.OrganizationId, now), user.OrganizationId, $"users/{user.Id}");
            audit.Record(db, AuditActions.Verify, AuditResults.Success, user.OrganizationId, user.Id, resourceId: user.Id);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A parallel use of the same link won; the address is verified either way.
            var current = await db.Users.AsNoTracking().SingleAsync(u => u.Id == user.Id, cancellationToken);
            return current.EmailVerifiedAt is null
                ? AccountResult.Fail<User>(Outcome.Invalid, "The verification link is invalid or has expired.")
                : AccountResult.Ok(current);
        }

        return AccountResult.Ok(user);
    }

    /// <summary>Always "accepted": whether the email exists is not for the caller to learn.</summary>
    public async Task ResendVerificationAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is { EmailVerifiedAt: null, Status: UserStatus.Pending })
        {
            outbox.Enqueue(db, new UserVerificationRequested(user.Id, user.Email, user.OrganizationId, time.GetUtcNow()),
                user.OrganizationId, $"users/{user.Id}");
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public async Task<AccountResult<TokenPair>> LoginAsync(string email, string password, RequestMetadata request,
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
            return AccountResult.Fail<TokenPair>(Outcome.Unauthorized, InvalidCredentials);
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
                ? AccountResult.Fail<TokenPair>(Outcome.Unauthorized, InvalidCredentials)
                : AccountResult.Fail<TokenPair>(Outcome.Forbidden, "This account is not active.");
        }

        if (await OrganizationSuspendedAsync(user.OrganizationId, cancellationToken))
        {
            audit.Record(db, AuditActions.Login, AuditResults.Failure, user.OrganizationId, user.Id, metadata: new { reason = "organization_suspended" },
                request: request);
            await db.SaveChangesAsync(cancellationToken);
            return AccountResult.Fail<TokenPair>(Outcome.Forbidden, SuspendedMessage);
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
        return AccountResult.Ok(pair);
    }

    private async Task<AccountResult<TokenPair>> LockedAsync(DateTimeOffset lockedUntil, DateTimeOffset now, RequestMetadata request,
        CancellationToken cancellationToken)
    {
        audit.Record(db, AuditActions.Login, AuditResults.Failure, null, null, metadata: new { reason = "locked" }, request: request);
        await db.SaveChangesAsync(cancellationToken);
        return AccountResult.Fail<TokenPair>(Outcome.Locked, "Too many failed logins; try again later.", lockedUntil - now);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair. The old token is claimed with a conditional update, so of two
    /// concurrent refreshes one wins; a token already exchanged (a replay, or a thief) revokes its whole session.
    /// </summary>
    public async Task<AccountResult<TokenPair>> RefreshAsync(string refreshToken, RequestMetadata request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = SecretTokens.Hash(refreshToken);
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return AccountResult.Fail<TokenPair>(Outcome.Unauthorized, "The refresh token is invalid or has expired.");
        }

        if (await db.Users.AnyAsync(u => u.Id == token.UserId && db.Organizations.Any(o => o.Id == u.OrganizationId
                && o.Status == Organizations.OrganizationStatus.Suspended), cancellationToken))
        {
            // Refused before the token is claimed: the session can go on once the organization is reinstated.
            return AccountResult.Fail<TokenPair>(Outcome.Forbidden, SuspendedMessage);
        }

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == token.UserId, cancellationToken);
        // The claim and the successor commit together: a concurrent second use waits on the claimed row until this
        // commits, then finds it rotated and revokes the family, successor included. No successor outlives a reuse.
        return await db.InTransactionAsync(async ct =>
        {
            var claimed = await db.RefreshTokens
                .Where(t => t.Id == token.Id && t.RotatedAt == null && t.RevokedAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(t => t.RotatedAt, now), ct);
            if (claimed == 0)
            {
                await RevokeFamilyAsync(token, "reuse", ct);
                audit.Record(db, AuditActions.RefreshReuse, AuditResults.Denied, user.OrganizationId, user.Id, "session", token.FamilyId,
                    new { family = token.FamilyId }, request);
                return AccountResult.Fail<TokenPair>(Outcome.Unauthorized, "The refresh token was already used; the session has been ended.");
            }

            if (user.Status != UserStatus.Active)
            {
                await RevokeFamilyAsync(token, "user_inactive", ct);
                return AccountResult.Fail<TokenPair>(Outcome.Unauthorized, "This account is not active.");
            }

            // Rows written before session_started_at existed (or by an older instance mid-rollout) carry its default.
            var started = token.SessionStartedAt == default ? token.CreatedAt : token.SessionStartedAt;
            if (sessions.Value.RefreshTokenExpiry(now, started, jwt.Value.RefreshTokenLifetime) <= now)
            {
                await RevokeFamilyAsync(token, "absolute_lifetime", ct);
                return AccountResult.Fail<TokenPair>(Outcome.Unauthorized, "The session has reached its lifetime; sign in again.");
            }

            return AccountResult.Ok(await StartSessionAsync(user, token.FamilyId, started, request, ct));
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

    public async Task<AccountResult<bool>> ChangePasswordAsync(Guid userId, Guid? currentSession, string currentPassword, string newPassword,
        CancellationToken cancellationToken)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user?.PasswordHash is null || !(await hasher.VerifyAsync(currentPassword, user.PasswordHash, cancellationToken)).Matches)
        {
            if (user is not null)
            {
                audit.Record(db, AuditActions.PasswordChange, AuditResults.Failure, user.OrganizationId, user.Id);
                await db.SaveChangesAsync(cancellationToken);
            }

            return AccountResult.Fail<bool>(Outcome.Unauthorized, "The current password is wrong.");
        }

        if (policy.Check(newPassword, user.Email) is { } problem)
        {
            return AccountResult.Fail<bool>(Outcome.Invalid, $"newPassword {problem}.");
        }

        var now = time.GetUtcNow();
        var newHash = await hasher.HashAsync(newPassword, cancellationToken);
        try
        {
            await db.InTransactionAsync(async ct =>
            {
                user.PasswordHash = newHash;
                user.UpdatedAt = now;
                // Every other session ends; the one that asked stays signed in.
                await db.EndAllSessionsAsync(userId, "password_changed", now, ct, except: currentSession);
                outbox.Enqueue(db, new UserPasswordChanged(user.Id, user.OrganizationId, now, "changed"), user.OrganizationId, $"users/{user.Id}");
                audit.Record(db, AuditActions.PasswordChange, AuditResults.Success, user.OrganizationId, user.Id);
            }, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return AccountResult.Fail<bool>(Outcome.Conflict, "The account was changed at the same time; try again.");
        }

        return AccountResult.Ok(true);
    }

    /// <summary>Always "accepted"; a reset link goes out only to an existing, usable account.</summary>
    public async Task ForgotPasswordAsync(string email, CancellationToken cancellationToken)
    {
        var normalized = User.NormalizeEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        if (user is { Status: UserStatus.Active or UserStatus.Pending })
        {
            outbox.Enqueue(db, new UserPasswordResetRequested(user.Id, user.Email, user.OrganizationId, time.GetUtcNow(), "forgot"),
                user.OrganizationId, $"users/{user.Id}");
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public async Task<AccountResult<bool>> ResetPasswordAsync(string token, string newPassword, CancellationToken cancellationToken)
    {
        var (record, user) = await RedeemAsync(token, OneTimeTokenPurpose.ResetPassword, cancellationToken);
        if (record is null || user is null)
        {
            return AccountResult.Fail<bool>(Outcome.Invalid, "The reset link is invalid or has expired.");
        }

        if (policy.Check(newPassword, user.Email) is { } problem)
        {
            return AccountResult.Fail<bool>(Outcome.Invalid, $"newPassword {problem}.");
        }

        var now = time.GetUtcNow();
        var newHash = await hasher.HashAsync(newPassword, cancellationToken);
        try
        {
            await db.InTransactionAsync(async ct =>
            {
                // The link is spent by a conditional update: of two parallel uses of one link, one resets the password.
                var spent = await db.OneTimeTokens.Where(t => t.Id == record.Id && t.UsedAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), ct);
                if (spent == 0)
                {
                    throw new DbUpdateConcurrencyException("The reset link was used at the same time.");
                }

                user.PasswordHash = newHash;
                user.UpdatedAt = now;
                if (user.Status == UserStatus.Pending)
                {
                    // An invited user proves the address by using the link sent to it.
                    user.Status = UserStatus.Active;
                    user.EmailVerifiedAt ??= now;
                }

                await db.EndAllSessionsAsync(user.Id, "password_reset", now, ct);
                outbox.Enqueue(db, new UserPasswordChanged(user.Id, user.OrganizationId, now, "reset"), user.OrganizationId, $"users/{user.Id}");
                audit.Record(db, AuditActions.PasswordReset, AuditResults.Success, user.OrganizationId, user.Id);
            }, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return AccountResult.Fail<bool>(Outcome.Invalid, "The reset link is invalid or has expired.");
        }

        return AccountResult.Ok(true);
    }

    /// <summary>A fresh single-use token for the user's inbox; earlier unused ones of the same purpose stop working.</summary>
    public async Task<string> IssueOneTimeTokenAsync(Guid userId, OneTimeTokenPurpose purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.OneTimeTokens.Where(t => t.UserId == userId && t.Purpose == purpose && t.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now), cancellationToken);
        var token = SecretTokens.New();
        db.OneTimeTokens.Add(new OneTimeToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Purpose = purpose,
            TokenHash = SecretTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + (purpose == OneTimeTokenPurpose.VerifyEmail ? jwt.Value.VerificationTokenLifetime : jwt.Value.PasswordResetTokenLifetime),
        });
        return token;
    }

    public Task<List<string>> RoleNamesAsync(Guid userId, CancellationToken cancellationToken) =>
        db.UserRoles.Where(ur => ur.UserId == userId).Select(ur => ur.Role!.Name).OrderBy(n => n).ToListAsync(cancellationToken);

    private async Task<(OneTimeToken? Record, User? User)> RedeemAsync(string token, OneTimeTokenPurpose purpose, CancellationToken cancellationToken)
    {
        var hash = SecretTokens.Hash(token);
        var now = time.GetUtcNow();
        var record = await db.OneTimeTokens.SingleOrDefaultAsync(
            t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
        var user = record is null ? null : await db.Users.SingleOrDefaultAsync(u => u.Id == record.UserId, cancellationToken);
        return (record, user);
    }

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
        db.EndSessionAsync(token.UserId, token.FamilyId, reason, time.GetUtcNow(), cancellationToken);

    private const string SuspendedMessage = "Your organization is suspended; nobody of it can sign in until it is reinstated.";

    private Task<bool> OrganizationSuspendedAsync(Guid organizationId, CancellationToken cancellationToken) =>
        db.Organizations.AnyAsync(o => o.Id == organizationId && o.Status == Organizations.OrganizationStatus.Suspended, cancellationToken);
}
