namespace Giia.Auth.Rbac;

/// <summary>The answer to "may this user, in this organization, do this?".</summary>
public sealed record PermissionDecision(bool Allowed, string Reason);
