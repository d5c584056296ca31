using Giia.Auth.Accounts;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Auth.Sessions;

/// <summary>
/// One refresh token of a session. A session is a family of tokens: each refresh replaces the current token by the
/// next; presenting one that was already replaced means it was stolen or replayed, and the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    /// <summary>The session: the same for every token a login's refreshes produce (the access token's <c>sid</c>).</summary>
    public Guid FamilyId { get; set; }

    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the session's sign-in happened: the same for every token of the family (the absolute lifetime counts from it).</summary>
    public DateTimeOffset SessionStartedAt { get; set; }

    /// <summary>The first of the token's own lifetime, the session's idle timeout and its absolute end (<see cref="SessionLifetimeOptions"/>).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When this token was exchanged for the next one.</summary>
    public DateTimeOffset? RotatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedReason { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.ToTable("refresh_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasColumnName("id");
        builder.Property(t => t.UserId).HasColumnName("user_id");
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.FamilyId).HasColumnName("family_id");
        builder.Property(t => t.TokenHash).HasColumnName("token_hash");
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => new { t.UserId, t.FamilyId });
        builder.Property(t => t.CreatedAt).HasColumnName("created_at");
        builder.Property(t => t.SessionStartedAt).HasColumnName("session_started_at");
        builder.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        builder.Property(t => t.RotatedAt).HasColumnName("rotated_at");
        builder.Property(t => t.RevokedAt).HasColumnName("revoked_at");
        builder.Property(t => t.RevokedReason).HasColumnName("revoked_reason").HasMaxLength(50);
        builder.Property(t => t.IpAddress).HasColumnName("ip_address").HasMaxLength(45);
        builder.Property(t => t.UserAgent).HasColumnName("user_agent").HasMaxLength(500);
    }
}
