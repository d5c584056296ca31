using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Outcomes;
using Giia.Auth.Sessions;
using Giia.Data;
using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Accounts;

/// <summary>
/// Passwords: a signed-in user's change, and the forgotten password's mailed link and reset. Each change, its event
/// and its audit record commit together; the user's sessions end with the old password.
/// </summary>
public sealed class PasswordChanges(AuthDbContext db, PasswordHasher hasher, PasswordPolicy policy, OneTimeTokens tokens, EventOutbox outbox,
    AuditTrail audit, SessionEnding sessions, TimeProvider time)
{
    public async Task<Refusal?> ChangePasswordAsync(Guid userId, Guid? currentSession, string currentPassword, string newPassword,
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

            return Refusal.Unauthorized("The current password is wrong.");
        }

        if (policy.Check(newPassword, user.Email) is { } problem)
        {
            return Refusal.InvalidField("newPassword", $"newPassword {problem}.");
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
                await sessions.EndAllSessionsAsync(db, userId, "password_changed", now, ct, except: currentSession);
                outbox.Enqueue(db, new UserPasswordChanged(user.Id, user.OrganizationId, now, "changed"), user.OrganizationId, $"users/{user.Id}");
                audit.Record(db, AuditActions.PasswordChange, AuditResults.Success, user.OrganizationId, user.Id);
            }, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Refusal.Conflict("Changed at the same time", "The account was changed at the same time; try again.");
        }

        return null;
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

    private static readonly Refusal InvalidLink = Refusal.Invalid("Password not reset", "The reset link is invalid or has expired.");

    public async Task<Refusal?> ResetPasswordAsync(string token, string newPassword, CancellationToken cancellationToken)
    {
        var (record, user) = await tokens.RedeemAsync(token, OneTimeTokenPurpose.ResetPassword, cancellationToken);
        if (record is null || user is null)
        {
            return InvalidLink;
        }

        if (policy.Check(newPassword, user.Email) is { } problem)
        {
            return Refusal.Invalid("Password not reset", $"newPassword {problem}.");
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

                await sessions.EndAllSessionsAsync(db, user.Id, "password_reset", now, ct);
                outbox.Enqueue(db, new UserPasswordChanged(user.Id, user.OrganizationId, now, "reset"), user.OrganizationId, $"users/{user.Id}");
                audit.Record(db, AuditActions.PasswordReset, AuditResults.Success, user.OrganizationId, user.Id);
            }, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return InvalidLink;
        }

        return null;
    }
}
