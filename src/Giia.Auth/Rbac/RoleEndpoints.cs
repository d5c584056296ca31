using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Accounts;
using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Tokens;
using Giia.ServiceDefaults;
using Giia.ServiceDefaults.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Rbac;

/// <summary>
/// REST for permissions, roles (system roles read-only; custom roles per organization), role assignment and a
/// user's effective permissions. Each change and its audit record commit together.
/// </summary>
public static class RoleEndpoints
{
    public sealed record PermissionView(string Name, string Description, string Resource, string Action);

    public sealed record RoleView(Guid Id, string Name, string? Description, int Level, bool System, IReadOnlyList<string> Permissions);

    [RequestExample("""{"name":"Planner","description":"Plans buffers, reads the catalog","level":3,"permissions":["catalog:read","buffers:read","buffers:write"]}""")]
    public sealed record RoleRequest([Required, MaxLength(100), Description("Unique in the organization.")] string? Name,
        [MaxLength(300)] string? Description,
        [Range(Privileges.MinCustomRoleLevel, Privileges.MaxCustomRoleLevel), Description("1 is the Admin role's; lower ranks higher; default 5.")] int? Level,
        [Description("Permission names from GET /api/permissions.")] IReadOnlyList<string>? Permissions);

    [RequestExample("""{"roleId":"0193f1c2-7d4e-7a51-9c1e-5b8f2a6d3e01"}""")]
    public sealed record AssignRoleRequest([Required] Guid? RoleId);

    /// <summary>A custom role created without a level ranks below every system role.</summary>
    public const int CustomRoleLevel = 5;

    public static IEndpointRouteBuilder MapRoleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/permissions", ListPermissionsAsync).WithTags("Roles").WithName("ListPermissions").RequirePermission(Permissions.RolesRead)
            .WithSummary("List permissions")
            .WithDescription("Every permission a role can hold. Needs `roles:read`.");
        var roles = endpoints.MapGroup("/api/roles").WithTags("Roles").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        roles.MapGet("/", ListRolesAsync).WithName("ListRoles").RequirePermission(Permissions.RolesRead)
            .WithSummary("List roles")
            .WithDescription("The system roles and the organization's custom roles, highest level first. Needs `roles:read`.");
        roles.MapPost("/", CreateRoleAsync).WithName("CreateRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Create a custom role")
            .WithDescription("Creates a role of the organization, ranked below the caller and holding no permission the caller lacks. 409 when the name is taken. Needs `roles:write`.");
        roles.MapPut("/{id:guid}", UpdateRoleAsync).WithName("UpdateRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Update a custom role")
            .WithDescription("Replaces a custom role's name, level and permissions; system roles are read-only (409). Needs `roles:write`.");
        roles.MapDelete("/{id:guid}", DeleteRoleAsync).WithName("DeleteRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Delete a custom role")
            .WithDescription("Deletes a custom role and its assignments; system roles are read-only (409). Needs `roles:write`.");
        var users = endpoints.MapGroup("/api/users/{userId:guid}").WithTags("Roles").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        users.MapPost("/roles", AssignAsync).WithName("AssignRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Assign a role to a user")
            .WithDescription("Gives a user of the organization a role no higher than the caller's. Needs `roles:write`.");
        users.MapDelete("/roles/{roleId:guid}", RevokeAsync).WithName("RevokeRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Revoke a role from a user")
            .WithDescription("Removes a role from a user; the last active Admin keeps theirs (409). Takes effect on every Auth replica at once. Needs `roles:write`.");
        users.MapGet("/permissions", EffectiveAsync).WithName("GetEffectivePermissions").RequirePermission(Permissions.UsersRead)
            .WithSummary("Get a user's effective permissions")
            .WithDescription("The union of the permissions of the user's roles. Needs `users:read`.");
        return endpoints;
    }

    private static async Task<Ok<List<PermissionView>>> ListPermissionsAsync(AuthDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Permissions.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new PermissionView(p.Name, p.Description, p.Resource, p.Action)).ToListAsync(ct));

    private static async Task<Ok<List<RoleView>>> ListRolesAsync(ClaimsPrincipal principal, AuthDbContext db, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal);
        return TypedResults.Ok(await Project(RolesVisibleTo(db, organizationId).OrderBy(r => r.Level).ThenBy(r => r.Name)).ToListAsync(ct));
    }

    private static async Task<Results<Created<RoleView>, ValidationProblem, ProblemHttpResult>> CreateRoleAsync(
        RoleRequest request, ClaimsPrincipal principal, AuthDbContext db, Privileges privileges, AuditTrail audit, TimeProvider time,
        CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        var (permissions, errors) = await ValidateAsync(request, db, ct);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var name = request.Name!.Trim();
        var roleId = Guid.CreateVersion7();
        ProblemHttpResult? refusal;
        try
        {
            refusal = await db.InTransactionAsync<ProblemHttpResult?>(async token =>
            {
                if ((await privileges.BeginChangeAsync(actor, organizationId, Permissions.RolesWrite, token)
                    ?? await privileges.MayGrantAsync(actor, organizationId, name, request.Level ?? CustomRoleLevel, permissions.Select(p => p.Name), token))
                    is { } refused)
                {
                    return refused;
                }

                if (await NameTakenAsync(db, organizationId, name, except: null, token))
                {
                    return NameTaken(name);
                }

                var now = time.GetUtcNow();
                db.Roles.Add(new Role
                {
                    Id = roleId,
                    OrganizationId = organizationId,
                    Name = name,
                    Description = request.Description,
                    Level = request.Level ?? CustomRoleLevel,
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
            return LevelOutOfRange();
        }

        if (refusal is not null)
        {
            return refusal;
        }

        return await Project(db.Roles.Where(r => r.Id == roleId)).SingleOrDefaultAsync(ct) is { } created
            ? TypedResults.Created($"/api/roles/{roleId}", created)
            : RoleNotFound(roleId); // deleted right after it was created

    }

    private static async Task<Results<Ok<RoleView>, ValidationProblem, ProblemHttpResult>> UpdateRoleAsync(
        Guid id, RoleRequest request, ClaimsPrincipal principal, AuthDbContext db, Privileges privileges, AuditTrail audit, TimeProvider time,
        CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        var (permissions, errors) = await ValidateAsync(request, db, ct);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var name = request.Name!.Trim();
        ProblemHttpResult? refusal;
        try
        {
            refusal = await db.InTransactionAsync<ProblemHttpResult?>(async token =>
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
                    ?? await privileges.MayGrantAsync(actor, organizationId, name, request.Level ?? role.Level, permissions.Select(p => p.Name), token)
                    ?? await privileges.MayChangeHoldersOfAsync(actor, organizationId, role.Id, token)) is { } refused)
                {
                    return refused;
                }

                if (await NameTakenAsync(db, organizationId, name, except: id, token))
                {
                    return NameTaken(name);
                }

                var now = time.GetUtcNow();
                role.Name = name;
                role.Description = request.Description;
                role.Level = request.Level ?? role.Level;
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
            return LevelOutOfRange();
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
        return await Project(db.Roles.Where(r => r.Id == id)).SingleOrDefaultAsync(ct) is { } saved ? TypedResults.Ok(saved) : RoleNotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRoleAsync(
        Guid id, ClaimsPrincipal principal, AuthDbContext db, Privileges privileges, AuditTrail audit, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        ProblemHttpResult? refusal;
        try
        {
            refusal = await db.InTransactionAsync<ProblemHttpResult?>(async token =>
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

        return refusal ?? (Results<NoContent, ProblemHttpResult>)TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AssignAsync(
        Guid userId, AssignRoleRequest request, ClaimsPrincipal principal, AuthDbContext db, Privileges privileges, AuditTrail audit,
        TimeProvider time, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        if (request.RoleId is not { } roleId)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["roleId"] = ["roleId is required."] });
        }

        ProblemHttpResult? refusal;
        try
        {
            refusal = await db.InTransactionAsync<ProblemHttpResult?>(async token =>
            {
                if (await privileges.BeginChangeAsync(actor, organizationId, Permissions.RolesWrite, token) is { } gone)
                {
                    return gone;
                }

                if (!await db.Users.AnyAsync(u => u.Id == userId && u.OrganizationId == organizationId, token))
                {
                    return TypedResults.Problem(Users.UserEndpoints.NotFound(userId));
                }

                if (!await RolesVisibleTo(db, organizationId).AnyAsync(r => r.Id == roleId, token))
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
            refusal = null; // a parallel request assigned the same role: the assignment exists, which is what was asked
        }
        catch (DbUpdateException ex) when (IsForeignKeyViolation(ex))
        {
            return RoleNotFound(roleId); // the role or the user was deleted meanwhile
        }

        return refusal ?? (Results<NoContent, ValidationProblem, ProblemHttpResult>)TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid userId, Guid roleId, ClaimsPrincipal principal, AuthDbContext db, Privileges privileges, AuditTrail audit, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        ProblemHttpResult? refusal;
        try
        {
            // The checks (the last active Admin) and the revocation form one transaction under the execution strategy.
            refusal = await db.InTransactionAsync<ProblemHttpResult?>(async token =>
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

                if (await IsAdminRoleAsync(db, roleId, token) && await privileges.KeepsAnActiveAdminAsync(organizationId, userId, token) is { } lastAdmin)
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

        return refusal ?? (Results<NoContent, ProblemHttpResult>)TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<string>>, ProblemHttpResult>> EffectiveAsync(
        Guid userId, ClaimsPrincipal principal, AuthDbContext db, PermissionService permissions, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.OrganizationId == organizationId, ct))
        {
            return TypedResults.Problem(Users.UserEndpoints.NotFound(userId));
        }

        var granted = await permissions.LoadAsync(userId, organizationId, ct);
        return TypedResults.Ok<IReadOnlyList<string>>(granted.Names.Order(StringComparer.Ordinal).ToList());
    }

    private static Task<bool> IsAdminRoleAsync(AuthDbContext db, Guid roleId, CancellationToken ct) =>
        db.Roles.AnyAsync(r => r.Id == roleId && r.OrganizationId == null && r.Name == RbacSeed.Admin, ct);

    /// <summary>System roles and the organization's own custom roles; never another organization's.</summary>
    private static IQueryable<Role> RolesVisibleTo(AuthDbContext db, Guid? organizationId) =>
        db.Roles.AsNoTracking().Where(r => r.OrganizationId == null || r.OrganizationId == organizationId);

    private static IQueryable<RoleView> Project(IQueryable<Role> roles) => roles.Select(r => new RoleView(r.Id, r.Name, r.Description, r.Level,
        r.OrganizationId == null, r.Permissions.Select(p => p.Permission!.Name).OrderBy(n => n).ToList()));

    private static async Task<(List<Permission> Permissions, FieldErrors Errors)> ValidateAsync(RoleRequest request, AuthDbContext db, CancellationToken ct)
    {
        var errors = new FieldErrors().Text("name", request.Name, 100).OptionalText("description", request.Description, 300, multiline: true);

        // Level 1 is the system Admin role's alone: the last-Admin rule and "above your level" rest on it.
        if (request.Level is < Privileges.MinCustomRoleLevel or > Privileges.MaxCustomRoleLevel)
        {
            errors.Add("level", $"level must be between {Privileges.MinCustomRoleLevel} and {Privileges.MaxCustomRoleLevel} (1 is the Admin role's).");
        }

        var names = (request.Permissions ?? []).Distinct().ToList();
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

    private static Task<bool> NameTakenAsync(AuthDbContext db, Guid organizationId, string name, Guid? except, CancellationToken ct) =>
        db.Roles.AnyAsync(r => r.Name == name && (r.OrganizationId == null || r.OrganizationId == organizationId) && r.Id != except, ct);

    private static ProblemHttpResult AssignmentNotFound(Guid userId, Guid roleId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Assignment not found", detail: $"User {userId} of your organization does not have role {roleId}.");

    private static ProblemHttpResult NameTaken(string name) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "Role name taken", detail: $"A role named '{name}' already exists.");

    private static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };

    private static bool IsCheckViolation(DbUpdateException ex) =>
        ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.CheckViolation };

    private static ValidationProblem LevelOutOfRange() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["level"] = [$"level must be between {Privileges.MinCustomRoleLevel} and {Privileges.MaxCustomRoleLevel} (1 is the Admin role's)."],
    });

    private static bool IsForeignKeyViolation(DbUpdateException ex) =>
        ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ForeignKeyViolation };

    private static ProblemHttpResult RoleNotFound(Guid id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: "Role not found", detail: $"No role {id} in your organization.");

    private static ProblemHttpResult SystemRoleReadOnly(string name) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "System roles are read-only", detail: $"'{name}' is a system role; create a custom role instead.");
}
