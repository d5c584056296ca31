namespace Giia.Auth.Users;

/// <summary>A user as the API shows it: with the names of their roles, never the password hash.</summary>
public sealed record UserView(Guid Id, Guid OrganizationId, string Email, string Name, string Status, IReadOnlyList<string> Roles,
    DateTimeOffset? EmailVerifiedAt, DateTimeOffset? LastLoginAt, DateTimeOffset CreatedAt);
