using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Organizations;
using Giia.Auth.Outcomes;
using Giia.Auth.Rbac;
using Giia.Events.Contracts;
using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore;

using Npgsql;

namespace Giia.Auth.Accounts;

/// <summary>
/// Registration: a new organization with its first user, verification of the address, and the verification mail
/// again. Each change, its event and its audit record commit together.
/// </summary>
public sealed class Registration(AuthDbContext db, PasswordHasher hasher, OneTimeTokens tokens, EventOutbox outbox, AuditTrail audit,
    TimeProvider time)
{
    public async Task<User> RegisterAsync(string email, string password, string name, string organizationName,
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

        return user;
    }

    /// <summary>
    /// A registration with the address of an existing account answers exactly as a new one would (the same status and
    /// body, with ids that exist nowhere, after the same password hashing), so it tells nobody which addresses have
    /// accounts (ASVS 6.3.8). The owner is told by mail; the attempt is in their organization's audit log.
    /// </summary>
    private async Task<User> AttemptedAsync(Guid ownerId, Guid ownerOrganizationId, User unsaved, DateTimeOffset now,
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
        return unsaved;
    }

    private static readonly Refusal InvalidLink = Refusal.Invalid("Invalid token", "The verification link is invalid or has expired.");

    public async Task<OperationResult<User>> VerifyEmailAsync(string token, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (record, user) = await tokens.RedeemAsync(token, OneTimeTokenPurpose.VerifyEmail, cancellationToken);
        if (record is null || user is null)
        {
            return InvalidLink;
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
                ? InvalidLink
                : current;
        }

        return user;
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

}
