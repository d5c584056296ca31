namespace Giia.Auth.Accounts;

/// <summary>What a sign-in or a refresh gives: an access token and the session's refresh token, each with its expiry.</summary>
public sealed record TokenPair(string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt);
