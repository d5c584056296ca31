using Giia.Auth.Data;
using Giia.Auth.Tokens;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Accounts;

/// <summary>The single-use tokens of the mailed links: issued for a mail, redeemed by a verification or a reset.</summary>
public sealed class OneTimeTokens(AuthDbContext db, IOptions<JwtOptions> jwt, TimeProvider time)
{
    /// <summary>A fresh single-use token for the user's inbox; earlier unused ones of the same purpose stop working.</summary>
    public async Task<string> IssueAsync(Guid userId, OneTimeTokenPurpose purpose, CancellationToken cancellationToken)
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

    /// <summary>The live (unused, unexpired) token of this purpose and its user, both tracked; nulls when there is none.</summary>
    public async Task<(OneTimeToken? Record, User? User)> RedeemAsync(string token, OneTimeTokenPurpose purpose, CancellationToken cancellationToken)
    {
        var hash = SecretTokens.Hash(token);
        var now = time.GetUtcNow();
        var record = await db.OneTimeTokens.SingleOrDefaultAsync(
            t => t.TokenHash == hash && t.Purpose == purpose && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
        var user = record is null ? null : await db.Users.SingleOrDefaultAsync(u => u.Id == record.UserId, cancellationToken);
        return (record, user);
    }
}
