namespace Giia.Auth.Sessions;

/// <summary>A live session (a refresh-token family) as the API shows it; <see cref="Current"/> marks the caller's own.</summary>
public sealed record SessionView(Guid Id, DateTimeOffset StartedAt, DateTimeOffset LastRefreshedAt, DateTimeOffset ExpiresAt,
    string? IpAddress, string? UserAgent, bool Current);
