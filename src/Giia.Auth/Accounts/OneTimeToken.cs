using System.Security.Cryptography;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

public enum OneTimeTokenPurpose
{
    VerifyEmail,
    ResetPassword,
}

/// <summary>Random tokens for inboxes and refresh: 256 bits, URL-safe; hashed before they touch the database.</summary>
public static class SecretTokens
{
    public static string New() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal sealed class OneTimeTokenConfiguration : IEntityTypeConfiguration<OneTimeToken>
{
    public void Configure(EntityTypeBuilder<OneTimeToken> builder)
    {
        builder.ToTable("one_time_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasColumnName("id");
        builder.Property(t => t.UserId).HasColumnName("user_id");
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Purpose).HasColumnName("purpose").HasConversion<string>().HasMaxLength(30);
        builder.Property(t => t.TokenHash).HasColumnName("token_hash");
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.Property(t => t.CreatedAt).HasColumnName("created_at");
        builder.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        builder.Property(t => t.UsedAt).HasColumnName("used_at");
    }
}
