namespace Giia.Auth.Rbac;

/// <summary>What a unit of work changed of permissions, to retire and announce once it commits (<see cref="PermissionChangeInterceptor"/>).</summary>
public sealed class PermissionChanges
{
    /// <summary>Users whose roles or status changed.</summary>
    public HashSet<Guid> Users { get; } = [];

    /// <summary>Organizations whose roles changed (null: a system role, so every organization).</summary>
    public HashSet<Guid?> Organizations { get; } = [];

    /// <summary>Sessions ended (a null session: every session of the user).</summary>
    public HashSet<(Guid User, Guid? Session)> Sessions { get; } = [];

    public bool IsEmpty => Users.Count == 0 && Organizations.Count == 0 && Sessions.Count == 0;
}
