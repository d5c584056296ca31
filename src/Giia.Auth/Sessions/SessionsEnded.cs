namespace Giia.Auth.Sessions;

/// <summary>How many refresh tokens stopped working (0 when the user had no live session).</summary>
public sealed record SessionsEnded(int RefreshTokensRevoked);
