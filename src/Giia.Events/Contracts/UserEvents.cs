namespace Giia.Events.Contracts;

[GiiaEvent("user.registered")]
public sealed record UserRegistered(Guid UserId, string Email, string Name, Guid OrganizationId, string Status, DateTimeOffset RegisteredAt);

[GiiaEvent("user.verified")]
public sealed record UserVerified(Guid UserId, string Email, Guid OrganizationId, DateTimeOffset VerifiedAt);

[GiiaEvent("user.password_changed")]
public sealed record UserPasswordChanged(Guid UserId, Guid OrganizationId, DateTimeOffset ChangedAt, string Reason);

/// <summary>A new email-verification link is due. Carries no token: the mail consumer makes one.</summary>
[GiiaEvent("user.verification_requested")]
public sealed record UserVerificationRequested(Guid UserId, string Email, Guid OrganizationId, DateTimeOffset RequestedAt);

/// <summary>A password (re)set link is due (<c>forgot</c> or <c>invited</c>). Carries no token: the mail consumer makes one.</summary>
[GiiaEvent("user.password_reset_requested")]
public sealed record UserPasswordResetRequested(Guid UserId, string Email, Guid OrganizationId, DateTimeOffset RequestedAt, string Reason);

/// <summary>
/// Someone registered with the address of an existing account. Registration answers as for a new address (so it tells
/// nobody which addresses have accounts); the owner is told by mail instead. Carries no address: the mail goes to the
/// one stored for the user.
/// </summary>
[GiiaEvent("user.registration_attempted")]
public sealed record UserRegistrationAttempted(Guid UserId, Guid OrganizationId, DateTimeOffset AttemptedAt);
