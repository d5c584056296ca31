namespace Giia.Auth.Rbac;

/// <summary>A permission a role can hold, as the API shows it.</summary>
public sealed record PermissionView(string Name, string Description, string Resource, string Action);
