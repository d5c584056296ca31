namespace Giia.Auth.Client;

public enum PermissionOutcome
{
    Allowed,
    Denied,
    Unauthenticated,
}

/// <summary>An answer to one permission check, with the reason given to the caller when it is a refusal.</summary>
public sealed record PermissionVerdict(PermissionOutcome Outcome, string Reason)
{
    public static PermissionVerdict Unauthenticated { get; } = new(PermissionOutcome.Unauthenticated, "a valid bearer token is required");

    public bool Allowed => Outcome == PermissionOutcome.Allowed;
}
