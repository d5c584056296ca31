namespace Giia.Auth.Rbac;

/// <summary>A role as the API shows it: <see cref="System"/> roles are everyone's and read-only; the others are the organization's.</summary>
public sealed record RoleView(Guid Id, string Name, string? Description, int Level, bool System, IReadOnlyList<string> Permissions);
