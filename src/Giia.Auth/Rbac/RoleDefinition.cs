namespace Giia.Auth.Rbac;

/// <summary>A custom role as a caller asks for it (created or replaced): unchecked until the roles' administration checks it.</summary>
public sealed record RoleDefinition(string? Name, string? Description, int? Level, IReadOnlyList<string>? Permissions);
