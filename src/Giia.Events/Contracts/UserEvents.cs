namespace Giia.Events.Contracts;

[GiiaEvent("user.registered")]
public sealed record UserRegistered(Guid UserId, string Email, string Name, Guid OrganizationId, string Status, DateTimeOffset RegisteredAt);

[GiiaEvent("user.verified")]
public sealed record UserVerified(Guid UserId, string Email, Guid OrganizationId, DateTimeOffset VerifiedAt);

[GiiaEvent("user.password_changed")]
public sealed record UserPasswordChanged(Guid UserId, Guid OrganizationId, DateTimeOffset ChangedAt, string Reason);
