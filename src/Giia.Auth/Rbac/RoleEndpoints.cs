using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Outcomes;
using Giia.Auth.Tokens;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Auth.Rbac;

/// <summary>
/// REST for permissions, roles (system roles read-only; custom roles per organization), role assignment and a
/// user's effective permissions. Each change and its audit record commit together.
/// </summary>
public static class RoleEndpoints
{
    [RequestExample("""{"name":"Planner","description":"Plans buffers, reads the catalog","level":3,"permissions":["catalog:read","buffers:read","buffers:write"]}""")]
    public sealed record RoleRequest([Required, MaxLength(100), Description("Unique in the organization.")] string? Name,
        [MaxLength(300)] string? Description,
        [Range(Privileges.MinCustomRoleLevel, Privileges.MaxCustomRoleLevel), Description("1 is the Admin role's; lower ranks higher; default 5.")] int? Level,
        [Description("Permission names from GET /api/permissions.")] IReadOnlyList<string>? Permissions);

    [RequestExample("""{"roleId":"0193f1c2-7d4e-7a51-9c1e-5b8f2a6d3e01"}""")]
    public sealed record AssignRoleRequest([Required] Guid? RoleId);

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
        roles.MapPut("/{id}", UpdateRoleAsync).WithName("UpdateRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .ProducesValidationProblem()
            .WithSummary("Update a custom role")
            .WithDescription("Replaces a custom role's name, level and permissions; system roles are read-only (409). Needs `roles:write`.");
        roles.MapDelete("/{id}", DeleteRoleAsync).WithName("DeleteRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .ProducesValidationProblem()
            .WithSummary("Delete a custom role")
            .WithDescription("Deletes a custom role and its assignments; system roles are read-only (409). Needs `roles:write`.");
        var users = endpoints.MapGroup("/api/users/{userId}").WithTags("Roles").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        users.MapPost("/roles", AssignAsync).WithName("AssignRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .ProducesValidationProblem()
            .WithSummary("Assign a role to a user")
            .WithDescription("Gives a user of the organization a role no higher than the caller's. Needs `roles:write`.");
        users.MapDelete("/roles/{roleId}", RevokeAsync).WithName("RevokeRole").RequirePermission(Permissions.RolesWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .ProducesValidationProblem()
            .WithSummary("Revoke a role from a user")
            .WithDescription("Removes a role from a user; the last active Admin keeps theirs (409). Takes effect on every Auth replica at once. Needs `roles:write`.");
        users.MapGet("/permissions", EffectiveAsync).WithName("GetEffectivePermissions").RequirePermission(Permissions.UsersRead).ProducesValidationProblem()
            .WithSummary("Get a user's effective permissions")
            .WithDescription("The union of the permissions of the user's roles. Needs `users:read`.");
        return endpoints;
    }

    private static async Task<Ok<List<PermissionView>>> ListPermissionsAsync(RoleAdministration roles, CancellationToken ct) =>
        TypedResults.Ok(await roles.ListPermissionsAsync(ct));

    private static async Task<Ok<List<RoleView>>> ListRolesAsync(ClaimsPrincipal principal, RoleAdministration roles, CancellationToken ct) =>
        TypedResults.Ok(await roles.ListRolesAsync(Claims.OrganizationOf(principal), ct));

    private static async Task<Results<Created<RoleView>, ValidationProblem, ProblemHttpResult>> CreateRoleAsync(
        RoleRequest request, ClaimsPrincipal principal, RoleAdministration roles, CancellationToken ct)
    {
        var created = await roles.CreateAsync(Definition(request), principal, ct);
        return created.Refusal is { } refusal
            ? refusal.Answer<Created<RoleView>>()
            : TypedResults.Created($"/api/roles/{created.Value!.Id}", created.Value);
    }

    private static async Task<Results<Ok<RoleView>, ValidationProblem, ProblemHttpResult>> UpdateRoleAsync(
        string id, RoleRequest request, ClaimsPrincipal principal, RoleAdministration roles, CancellationToken ct)
    {
        if (!RouteIds.TryParse(id, "id", out var roleId, out var malformed))
        {
            return malformed;
        }

        var updated = await roles.UpdateAsync(roleId, Definition(request), principal, ct);
        return updated.Refusal is { } refusal ? refusal.Answer<Ok<RoleView>>() : TypedResults.Ok(updated.Value!);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteRoleAsync(
        string id, ClaimsPrincipal principal, RoleAdministration roles, CancellationToken ct)
    {
        if (!RouteIds.TryParse(id, "id", out var roleId, out var malformed))
        {
            return malformed;
        }

        return Done(await roles.DeleteAsync(roleId, principal, ct));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AssignAsync(
        string userId, AssignRoleRequest request, ClaimsPrincipal principal, RoleAdministration roles, CancellationToken ct)
    {
        if (!RouteIds.TryParse(userId, "userId", out var user, out var malformed))
        {
            return malformed;
        }

        if (request.RoleId is not { } roleId)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["roleId"] = ["roleId is required."] });
        }

        return Done(await roles.AssignAsync(user, roleId, principal, ct));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        string userId, string roleId, ClaimsPrincipal principal, RoleAdministration roles, CancellationToken ct) =>
        RouteIds.TryParse(userId, "userId", roleId, "roleId", out var user, out var role, out var malformed)
            ? Done(await roles.RevokeAsync(user, role, principal, ct))
            : malformed;

    private static async Task<Results<Ok<IReadOnlyList<string>>, ValidationProblem, ProblemHttpResult>> EffectiveAsync(
        string userId, ClaimsPrincipal principal, RoleAdministration roles, CancellationToken ct)
    {
        if (!RouteIds.TryParse(userId, "userId", out var user, out var malformed))
        {
            return malformed;
        }

        var effective = await roles.EffectivePermissionsAsync(user, Claims.OrganizationOf(principal)!.Value, ct);
        return effective.Refusal is { } refusal ? refusal.Problem() : TypedResults.Ok(effective.Value!);
    }

    private static RoleDefinition Definition(RoleRequest request) => new(request.Name, request.Description, request.Level, request.Permissions);

    private static Results<NoContent, ValidationProblem, ProblemHttpResult> Done(Refusal? refusal) =>
        refusal is null ? TypedResults.NoContent() : refusal.Answer<NoContent>();
}
