using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Accounts;
using Giia.Auth.Outcomes;
using Giia.Auth.Rbac;
using Giia.Auth.Sessions;
using Giia.Auth.Tokens;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Auth.Users;

/// <summary>
/// <c>/api/users</c>: one's own profile, and for those allowed, the users of their own organization. Every query is
/// scoped to the caller's organization: another organization's user is simply not found.
/// </summary>
public static class UserEndpoints
{
    [RequestExample("""{"email":"luis@acme.example","name":"Luis Gil","role":"Analyst"}""")]
    public sealed record InviteUserRequest([Required, EmailAddress] string? Email, [Required, MaxLength(200)] string? Name,
        [MaxLength(100), Description("A system role (Admin, Manager, Analyst, Viewer) or a custom role of the organization; default Viewer.")] string? Role);

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/users").WithTags("Users").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        api.MapGet("/me", MeAsync).WithName("GetMe").RequireAuthorization().ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("Get one's own profile")
            .WithDescription("The caller's user, with roles; 404 when the user was deleted after the token was issued.");
        api.MapGet("/", ListAsync).WithName("ListUsers").RequirePermission(Permissions.UsersRead)
            .WithSummary("List users")
            .WithDescription("One page of the organization's users, oldest first. Needs `users:read`.");
        api.MapGet("/{id}", GetAsync).WithName("GetUser").RequirePermission(Permissions.UsersRead).ProducesValidationProblem()
            .WithSummary("Get a user")
            .WithDescription("One user of the organization. Needs `users:read`.");
        api.MapPost("/", InviteAsync).WithName("InviteUser").RequirePermission(Permissions.UsersWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Invite a user")
            .WithDescription("Creates a pending user with a role no higher than the caller's and mails them a link to choose a password. 409 when the email is registered. Needs `users:write`.");
        api.MapPost("/{id}/activate", ActivateAsync).WithName("ActivateUser").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithSummary("Activate a user")
            .WithDescription("Lets a deactivated user of the organization sign in again (not above the caller's level). Needs `users:activate`.");
        api.MapPost("/{id}/deactivate", DeactivateAsync).WithName("DeactivateUser").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithSummary("Deactivate a user")
            .WithDescription("Ends every session of the user at once and refuses their sign-in; the last active Admin cannot be deactivated (409). Needs `users:activate`.");
        api.MapGet("/{id}/sessions", ListSessionsAsync).WithName("ListUserSessions").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .WithSummary("List a user's sessions")
            .WithDescription("The live sessions of a user of the organization (not above the caller's level), newest first. Needs `users:activate`.");
        api.MapDelete("/{id}/sessions/{sessionId}", EndSessionAsync).WithName("EndUserSession").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .WithSummary("End one of a user's sessions")
            .WithDescription("Ends the session at once everywhere: its refresh token stops working and its access tokens are refused by every service. Not for users above the caller's level. Needs `users:activate`.");
        api.MapDelete("/{id}/sessions", EndAllSessionsAsync).WithName("EndAllUserSessions").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status404NotFound).ProducesValidationProblem()
            .WithSummary("End all of a user's sessions")
            .WithDescription("Signs the user out everywhere at once (they may sign in again; deactivate to refuse that). Not for users above the caller's level. Needs `users:activate`.");
        return endpoints;
    }

    private static async Task<Results<Ok<UserView>, NotFound>> MeAsync(ClaimsPrincipal principal, UserAdministration users, CancellationToken ct) =>
        Claims.UserIdOf(principal) is { } me && await users.FindAsync(Claims.OrganizationOf(principal)!.Value, me, ct) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.NotFound();

    private static async Task<Results<Ok<Page<UserView>>, ValidationProblem>> ListAsync(ClaimsPrincipal principal, UserAdministration users,
        [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken ct)
    {
        var paging = new PageRequest(page, pageSize);
        if (paging.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await users.ListAsync(Claims.OrganizationOf(principal)!.Value, paging, ct));
    }

    private static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal principal,
        UserAdministration users, CancellationToken ct)
    {
        if (!RouteIds.TryParse(id, "id", out var userId, out var malformed))
        {
            return malformed;
        }

        return await users.FindAsync(Claims.OrganizationOf(principal)!.Value, userId, ct) is { } view
            ? TypedResults.Ok(view)
            : UserAdministration.NotFound(userId).Problem();
    }

    private static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> InviteAsync(
        InviteUserRequest request, ClaimsPrincipal principal, UserAdministration users, CancellationToken ct)
    {
        var errors = new FieldErrors().Email("email", request.Email).Text("name", request.Name, 200).OptionalText("role", request.Role, 100);

        if (errors.Any)
        {
            return errors.Problem();
        }

        var invited = await users.InviteAsync(request.Email!, request.Name!, request.Role ?? RbacSeed.Viewer, principal, ct);
        return invited.Refusal is { } refusal
            ? refusal.Answer<Created<UserView>>()
            : TypedResults.Created($"/api/users/{invited.Value!.Id}", invited.Value);
    }

    private static Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> ActivateAsync(string id, ClaimsPrincipal principal,
        UserAdministration users, CancellationToken ct) => SetStatusAsync(id, principal, UserStatus.Active, users, ct);

    private static Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> DeactivateAsync(string id, ClaimsPrincipal principal,
        UserAdministration users, CancellationToken ct) => SetStatusAsync(id, principal, UserStatus.Inactive, users, ct);

    private static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> SetStatusAsync(string id, ClaimsPrincipal principal,
        UserStatus status, UserAdministration users, CancellationToken ct)
    {
        if (!RouteIds.TryParse(id, "id", out var userId, out var malformed))
        {
            return malformed;
        }

        var changed = await users.SetStatusAsync(userId, principal, status, ct);
        return changed.Refusal is { } refusal ? refusal.Problem() : TypedResults.Ok(changed.Value!);
    }

    private static async Task<Results<Ok<List<SessionView>>, ValidationProblem, ProblemHttpResult>> ListSessionsAsync(string id,
        ClaimsPrincipal principal, UserSessionAdministration sessions, CancellationToken ct)
    {
        if (!RouteIds.TryParse(id, "id", out var userId, out var malformed))
        {
            return malformed;
        }

        var live = await sessions.ListAsync(userId, principal, ct);
        return live.Refusal is { } refusal ? refusal.Problem() : TypedResults.Ok(live.Value!);
    }

    private static async Task<Results<Ok<SessionsEnded>, ValidationProblem, ProblemHttpResult>> EndSessionAsync(string id, string sessionId,
        ClaimsPrincipal principal, UserSessionAdministration sessions, CancellationToken ct) =>
        RouteIds.TryParse(id, "id", sessionId, "sessionId", out var userId, out var session, out var malformed)
            ? Ended(await sessions.EndAsync(userId, session, principal, ct))
            : malformed;

    private static async Task<Results<Ok<SessionsEnded>, ValidationProblem, ProblemHttpResult>> EndAllSessionsAsync(string id,
        ClaimsPrincipal principal, UserSessionAdministration sessions, CancellationToken ct) =>
        RouteIds.TryParse(id, "id", out var userId, out var malformed)
            ? Ended(await sessions.EndAsync(userId, null, principal, ct))
            : malformed;

    private static Results<Ok<SessionsEnded>, ValidationProblem, ProblemHttpResult> Ended(OperationResult<SessionsEnded> ended) =>
        ended.Refusal is { } refusal ? refusal.Problem() : TypedResults.Ok(ended.Value!);
}
