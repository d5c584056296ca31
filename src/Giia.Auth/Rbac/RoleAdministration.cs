using System.Security.Claims;

using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Outcomes;
using Giia.Auth.Users;
using Giia.Data;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Rbac;

/// <summary>
/// Permissions, roles (system roles read-only; custom roles per organization), role assignment and a user's effective
/// permissions. Each change runs under <see cref="Privileges.BeginChangeAsync"/> and commits with its audit record.
/// </summary>
public sealed class RoleAdministration(AuthDbContext db, Privileges privileges, PermissionService permissionService, AuditTrail audit,
    TimeProvider time)
{
    /// <summary>A custom role created without a level ranks below every system role.</summary>
    public const int CustomRoleLevel = 5;

    public Task<List<PermissionView>> ListPermissionsAsync(CancellationToken ct) =>
        db.Permissions.AsNoTracking().OrderBy(p => p.Name).Select(p => new PermissionView(p.Name, p.Description, p.Resource, p.Action)).ToListAsync(ct);

    /// <summary>The system roles and the organization's custom roles, highest level first.</summary>
    public Task<List<RoleView>> ListRolesAsync(Guid? organizationId, CancellationToken ct) =>
        Project(RolesVisibleTo(organizationId).OrderBy(r => r.Level).ThenBy(r => r.Name)).ToListAsync(ct);

    /// <summary>A custom role of the caller's organization, ranked below the caller and holding no permission the caller lacks.</summary>
    public async Task<OperationResult<RoleView>> CreateAsync(RoleDefinition definition, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        var (permissions, errors) = await CheckAsync(definition, ct);
        if (errors.Any)
        {
            return Refusal.InvalidFields(errors.Errors);
        }

        var name = definition.Name!.Trim();
        var roleId = Guid.CreateVersion7();
        Refusal? refusal;
        try
        {
            refusal = await db.InTransactionAsync<Refusal?>(async token =>
            {
                if ((await privileges.BeginChangeAsync(actor, organizationId, Permissions.RolesWrite, token)
                    ?? await privileges.MayGrantAsync(actor, organizationId, name, definition.Level ?? CustomRoleLevel, permissions.Select(p => p.Name), token))
                    is { } refused)
                {
                    return refused;
                }

                if (await NameTakenAsync(organizationId, name, except: null, token))
                {
                    return NameTaken(name);
                }

                var now = time.GetUtcNow();
                db.Roles.Add(new Role
                {
                    Id = roleId,
                    OrganizationId = organizationId,
                    Name = name,
                    Description = definition.Description,
                    Level = definition.Level ?? CustomRoleLevel,
                    CreatedAt = now,
                    UpdatedAt = now,
                    Permissions = permissions.Select(p => new RolePermission { PermissionId = p.Id, CreatedAt = now }).ToList(),
                });
                audit.Record(db, AuditActions.RoleCreate, AuditResults.Success, organizationId, actor, "role", roleId,
                    new { Name = name, permissions = permissions.Select(p => p.Name) });
                return null;
            }, ct);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            return NameTaken(name); // the unique index has the last word on names
        }
        catch (DbUpdateException ex) when (IsCheckViolation(ex))
        {
            return LevelOutOfRange;
        }

        if (refusal is not null)
        {
            return refusal;
        }

        return await Project(db.Roles.Where(r => r.Id == roleId)).SingleOrDefaultAsync(ct) is { } created
            ? created
            : RoleNotFound(roleId); // deleted right after it was created
    }

    /// <summary>Replaces a custom role's name, level and permissions; system roles are read-only.</summary>
    public async Task<OperationResult<RoleView>> UpdateAsync(Guid id, RoleDefinition definition, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        var (permissions, errors) = await CheckAsync(definition, ct);
        if (errors.Any)
        {
            return Refusal.InvalidFields(errors.Errors);
        }

        var name = definition.Name!.Trim();
        Refusal? refusal;
        try
        {
            refusal = await db.InTransactionAsync<Refusal?>(async token =>
            {
                if (await privileges.BeginChangeAsync(actor, organizationId, Permissions.RolesWrite, token) is { } gone)
                {
                    return gone;
                }

                var role = await db.Roles.Include(r => r.Permissions).SingleOrDefaultAsync(r => r.Id == id, token);
                if (role is null || (role.OrganizationId is { } owner && owner != organizationId))
                {
                    return RoleNotFound(id);
                }

                if (role.IsSystem)
                {
                    return SystemRoleReadOnly(role.Name);
                }

                // The role as it is and as it would be must be within the editor's reach, and so must everyone holding it.
                if ((await privileges.MayGrantAsync(actor, organizationId, role.Id, token)
                    ?? await privileges.MayGrantAsync(actor, organizationId, name, definition.Level ?? role.Level, permissions.Select(p => p.Name), token)
                    ?? await privileges.MayChangeHoldersOfAsync(actor, organizationId, role.Id, token)) is { } refused)
                {
                    return refused;
                }

                if (await NameTakenAsync(organizationId, name, except: id, token))
                {
                    return NameTaken(name);
                }

                var now = time.GetUtcNow();
                role.Name = name;
                role.Description = definition.Description;
                role.Level = definition.Level ?? role.Level;
                role.UpdatedAt = now;
                role.Permissions.Clear();
                role.Permissions.AddRange(permissions.Select(p => new RolePermission { RoleId = role.Id, PermissionId = p.Id, CreatedAt = now }));
                audit.Record(db, AuditActions.RoleUpdate, AuditResults.Success, organizationId, actor, "role", role.Id,
                    new { role.Name, permissions = permissions.Select(p => p.Name) });
                return null;
            }, ct);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            return NameTaken(name);
        }
        catch (DbUpdateException ex) when (IsCheckViolation(ex))
        {
            return LevelOutOfRange;
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || IsForeignKeyViolation(ex))
        {
            return RoleNotFound(id); // deleted by a parallel request
        }

        if (refusal is not null)
        {
            return refusal;
        }

        // Read back after the commit; a delete that came just after it leaves nothing to show.
        return await Project(db.Roles.Where(r => r.Id == id)).SingleOrDefaultAsync(ct) is { } saved
            ? saved
            : RoleNotFound(id);
    }

    /// <summary>Deletes a custom role and its assignments; system roles are read-only. Null when it is done.</summary>
    public async Task<Refusal?> DeleteAsync(Guid id, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        try
        {
            return await db.InTransactionAsync<Refusal?>(async token =>
            {
                if (await privileges.BeginChangeAsync(actor, organizationId, Permissions.RolesWrite, token) is { } gone)
                {
                    return gone;
                }

                var role = await db.Roles.SingleOrDefaultAsync(r => r.Id == id, token);
                if (role is null || (role.OrganizationId is { } owner && owner != organizationId))
                {
                    return RoleNotFound(id);
                }

                if (role.IsSystem)
                {
                    return SystemRoleReadOnly(role.Name);
                }

                if ((await privileges.MayGrantAsync(actor, organizationId, role.Id, token)
                    ?? await privileges.MayChangeHoldersOfAsync(actor, organizationId, role.Id, token)) is { } refused)
                {
                    return refused;
                }

                db.Roles.Remove(role);
                audit.Record(db, AuditActions.RoleDelete, AuditResults.Success, organizationId, actor, "role", role.Id, new { role.Name });
                return null;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return RoleNotFound(id); // a parallel delete removed it first
        }
    }

    /// <summary>Gives a user of the organization a role no higher than the caller's; null when it is done (or already was).</summary>
    public async Task<Refusal?> AssignAsync(Guid userId, Guid roleId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        try
        {
            return await db.InTransactionAsync<Refusal?>(async token =>
            {
                if (await privileges.BeginChangeAsync(actor, organizationId, Permissions.RolesWrite, token) is { } gone)
                {
                    return gone;
                }

                if (!await db.Users.AnyAsync(u => u.Id == userId && u.OrganizationId == organizationId, token))
                {
                    return UserAdministration.NotFound(userId);
                }

                if (!await RolesVisibleTo(organizationId).AnyAsync(r => r.Id == roleId, token))
                {
                    return RoleNotFound(roleId);
                }

                if ((Privileges.NotOwnRoles(actor, userId) ?? await privileges.MayActOnAsync(actor, userId, organizationId, token)
                    ?? await privileges.MayGrantAsync(actor, organizationId, roleId, token)) is { } refused)
                {
                    return refused;
                }

                if (!await db.UserRoles.AnyAsync(ur => ur.UserId == userId && ur.RoleId == roleId, token))
                {
                    db.UserRoles.Add(new UserRole
                    {
                        UserId = userId,
                        RoleId = roleId,
                        OrganizationId = organizationId,
                        AssignedBy = actor,
                        AssignedAt = time.GetUtcNow(),
                    });
                    audit.Record(db, AuditActions.RoleAssign, AuditResults.Success, organizationId, actor, "role", roleId, new { user = userId });
                }

                return null;
            }, ct);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            return null; // a parallel request assigned the same role: the assignment exists, which is what was asked
        }
        catch (DbUpdateException ex) when (IsForeignKeyViolation(ex))
        {
            return RoleNotFound(roleId); // the role or the user was deleted meanwhile
        }
    }

    /// <summary>Removes a role from a user; the last active Admin keeps theirs. Null when it is done.</summary>
    public async Task<Refusal?> RevokeAsync(Guid userId, Guid roleId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        try
        {
            // The checks (the last active Admin) and the revocation form one transaction under the execution strategy.
            return await db.InTransactionAsync<Refusal?>(async token =>
            {
                if (await privileges.BeginChangeAsync(actor, organizationId, Permissions.RolesWrite, token) is { } gone)
                {
                    return gone;
                }

                var assignment = await db.UserRoles.SingleOrDefaultAsync(
                    ur => ur.UserId == userId && ur.RoleId == roleId && ur.OrganizationId == organizationId, token);
                if (assignment is null)
                {
                    return AssignmentNotFound(userId, roleId);
                }

                // Taking a role away needs only reach over the user: it can lower their rights, never raise anyone's.
                if ((Privileges.NotOwnRoles(actor, userId) ?? await privileges.MayActOnAsync(actor, userId, organizationId, token)) is { } refused)
                {
                    return refused;
                }

                if (await IsAdminRoleAsync(roleId, token) && await privileges.KeepsAnActiveAdminAsync(organizationId, userId, token) is { } lastAdmin)
                {
                    return lastAdmin;
                }

                db.UserRoles.Remove(assignment);
                audit.Record(db, AuditActions.RoleRevoke, AuditResults.Success, organizationId, actor, "role", roleId, new { user = userId });
                return null;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return AssignmentNotFound(userId, roleId); // a parallel revocation removed it first
        }
    }

    /// <summary>The union of the permissions of the user's roles, by name.</summary>
    public async Task<OperationResult<IReadOnlyList<string>>> EffectivePermissionsAsync(Guid userId, Guid organizationId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.OrganizationId == organizationId, ct))
        {
            return UserAdministration.NotFound(userId);
        }

        var granted = await permissionService.LoadAsync(userId, organizationId, ct);
        return new OperationResult<IReadOnlyList<string>>(granted.Names.Order(StringComparer.Ordinal).ToList(), null);
    }

    private Task<bool> IsAdminRoleAsync(Guid roleId, CancellationToken ct) =>
        db.Roles.AnyAsync(r => r.Id == roleId && r.OrganizationId == null && r.Name == RbacSeed.Admin, ct);

    /// <summary>System roles and the organization's own custom roles; never another organization's.</summary>
    private IQueryable<Role> RolesVisibleTo(Guid? organizationId) =>
        db.Roles.AsNoTracking().Where(r => r.OrganizationId == null || r.OrganizationId == organizationId);

    private static IQueryable<RoleView> Project(IQueryable<Role> roles) => roles.Select(r => new RoleView(r.Id, r.Name, r.Description, r.Level,
        r.OrganizationId == null, r.Permissions.Select(p => p.Permission!.Name).OrderBy(n => n).ToList()));

    /// <summary>The definition's field errors, and the permissions it names that exist.</summary>
    private async Task<(List<Permission> Permissions, FieldErrors Errors)> CheckAsync(RoleDefinition definition, CancellationToken ct)
    {
        var errors = new FieldErrors().Text("name", definition.Name, 100).OptionalText("description", definition.Description, 300, multiline: true);

        // Level 1 is the system Admin role's alone: the last-Admin rule and "above your level" rest on it.
        if (definition.Level is < Privileges.MinCustomRoleLevel or > Privileges.MaxCustomRoleLevel)
        {
            errors.Add("level", LevelRule);
        }

        var names = (definition.Permissions ?? []).Distinct().ToList();
        if (names.Any(n => n is null || n.Length > 100 || TextRules.HasForbiddenCharacters(n)))
        {
            errors.Add("permissions", "permissions must be permission names (see GET /api/permissions).");
            return ([], errors);
        }

        var permissions = await db.Permissions.Where(p => names.Contains(p.Name)).ToListAsync(ct);
        var unknown = names.Except(permissions.Select(p => p.Name)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("permissions", $"unknown permissions: {string.Join(", ", unknown)}.");
        }

        return (permissions, errors);
    }

    private Task<bool> NameTakenAsync(Guid organizationId, string name, Guid? except, CancellationToken ct) =>
        db.Roles.AnyAsync(r => r.Name == name && (r.OrganizationId == null || r.OrganizationId == organizationId) && r.Id != except, ct);

    private static readonly string LevelRule =
        $"level must be between {Privileges.MinCustomRoleLevel} and {Privileges.MaxCustomRoleLevel} (1 is the Admin role's).";

    private static readonly Refusal LevelOutOfRange = Refusal.InvalidField("level", LevelRule);

    private static Refusal AssignmentNotFound(Guid userId, Guid roleId) =>
        Refusal.NotFound("Assignment not found", $"User {userId} of your organization does not have role {roleId}.");

    private static Refusal NameTaken(string name) => Refusal.Conflict("Role name taken", $"A role named '{name}' already exists.");

    private static Refusal RoleNotFound(Guid id) => Refusal.NotFound("Role not found", $"No role {id} in your organization.");

    private static Refusal SystemRoleReadOnly(string name) =>
        Refusal.Conflict("System roles are read-only", $"'{name}' is a system role; create a custom role instead.");

    private static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };

    private static bool IsCheckViolation(DbUpdateException ex) =>
        ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.CheckViolation };

    private static bool IsForeignKeyViolation(DbUpdateException ex) =>
        ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ForeignKeyViolation };
}
