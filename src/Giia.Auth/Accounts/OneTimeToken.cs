namespace Giia.Auth.Accounts;

/// <summary>
/// A single-use token sent to a user's inbox (email verification, password reset or invitation).
/// Only its SHA-256 is stored; the token itself exists in the email alone.
/// </summary>
public sealed class OneTimeToken
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public OneTimeTokenPurpose Purpose { get; set; }

    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
