using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Accounts;
using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Rbac;
using Giia.Auth.Sessions;
using Giia.Auth.Tokens;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.ServiceDefaults;
using Giia.ServiceDefaults.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Giia.Auth.Users;

/// <summary>
/// <c>/api/users</c>: one's own profile, and for those allowed, the users of their own organization. Every query is
/// scoped to the caller's organization: another organization's user is simply not found.
/// </summary>
public static class UserEndpoints
{
    public sealed record UserView(Guid Id, Guid OrganizationId, string Email, string Name, string Status, IReadOnlyList<string> Roles,
        DateTimeOffset? EmailVerifiedAt, DateTimeOffset? LastLoginAt, DateTimeOffset CreatedAt);

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
        api.MapGet("/{id:guid}", GetAsync).WithName("GetUser").RequirePermission(Permissions.UsersRead)
            .WithSummary("Get a user")
            .WithDescription("One user of the organization. Needs `users:read`.");
        api.MapPost("/", InviteAsync).WithName("InviteUser").RequirePermission(Permissions.UsersWrite).ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Invite a user")
            .WithDescription("Creates a pending user with a role no higher than the caller's and mails them a link to choose a password. 409 when the email is registered. Needs `users:write`.");
        api.MapPost("/{id:guid}/activate", (Guid id, ClaimsPrincipal principal, UserAdministration users, CancellationToken ct) =>
            users.SetStatusAsync(id, principal, UserStatus.Active, ct)).WithName("ActivateUser").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Activate a user")
            .WithDescription("Lets a deactivated user of the organization sign in again (not above the caller's level). Needs `users:activate`.");
        api.MapPost("/{id:guid}/deactivate", (Guid id, ClaimsPrincipal principal, UserAdministration users, CancellationToken ct) =>
            users.SetStatusAsync(id, principal, UserStatus.Inactive, ct)).WithName("DeactivateUser").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Deactivate a user")
            .WithDescription("Ends every session of the user at once and refuses their sign-in; the last active Admin cannot be deactivated (409). Needs `users:activate`.");
        api.MapGet("/{id:guid}/sessions", (Guid id, ClaimsPrincipal principal, UserSessionAdministration sessions, CancellationToken ct) =>
            sessions.ListAsync(id, principal, ct)).WithName("ListUserSessions").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("List a user's sessions")
            .WithDescription("The live sessions of a user of the organization (not above the caller's level), newest first. Needs `users:activate`.");
        api.MapDelete("/{id:guid}/sessions/{sessionId:guid}", (Guid id, Guid sessionId, ClaimsPrincipal principal, UserSessionAdministration sessions,
            CancellationToken ct) => sessions.EndAsync(id, sessionId, principal, ct)).WithName("EndUserSession").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("End one of a user's sessions")
            .WithDescription("Ends the session at once everywhere: its refresh token stops working and its access tokens are refused by every service. Not for users above the caller's level. Needs `users:activate`.");
        api.MapDelete("/{id:guid}/sessions", (Guid id, ClaimsPrincipal principal, UserSessionAdministration sessions, CancellationToken ct) =>
            sessions.EndAsync(id, null, principal, ct)).WithName("EndAllUserSessions").RequirePermission(Permissions.UsersActivate)
            .ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("End all of a user's sessions")
            .WithDescription("Signs the user out everywhere at once (they may sign in again; deactivate to refuse that). Not for users above the caller's level. Needs `users:activate`.");
        return endpoints;
    }

    private static async Task<Results<Ok<UserView>, NotFound>> MeAsync(ClaimsPrincipal principal, AuthDbContext db, CancellationToken ct)
    {
        var userId = Claims.UserIdOf(principal);
        var view = await Project(db, UsersOf(db, Claims.OrganizationOf(principal)!.Value).Where(u => u.Id == userId)).SingleOrDefaultAsync(ct);
        return view is null ? TypedResults.NotFound() : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<Page<UserView>>, ValidationProblem>> ListAsync(ClaimsPrincipal principal, AuthDbContext db,
        [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken ct)
    {
        var paging = new PageRequest(page, pageSize);
        if (paging.Validate() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = UsersOf(db, Claims.OrganizationOf(principal)!.Value);
        var total = await query.LongCountAsync(ct);
        var items = await Project(db, query.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Skip(paging.Skip).Take(paging.Size)).ToListAsync(ct);
        return TypedResults.Ok(new Page<UserView>(items, paging.Number, paging.Size, total));
    }

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal principal, AuthDbContext db,
        CancellationToken ct)
    {
        var view = await Project(db, UsersOf(db, Claims.OrganizationOf(principal)!.Value).Where(u => u.Id == id)).SingleOrDefaultAsync(ct);
        return view is null ? TypedResults.Problem(NotFound(id)) : TypedResults.Ok(view);
    }

    private static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> InviteAsync(
        InviteUserRequest request, ClaimsPrincipal principal, UserAdministration users, CancellationToken ct)
    {
        var errors = new FieldErrors().Email("email", request.Email).Text("name", request.Name, 200).OptionalText("role", request.Role, 100);

        if (errors.Any)
        {
            return errors.Problem();
        }

        return await users.InviteAsync(request.Email!, request.Name!, request.Role ?? RbacSeed.Viewer, principal, ct);
    }

    /// <summary>The users of one organization: every user query starts here.</summary>
    internal static IQueryable<User> UsersOf(AuthDbContext db, Guid organizationId) =>
        db.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId);

    internal static IQueryable<UserView> Project(AuthDbContext db, IQueryable<User> users) =>
        users.Select(u => new UserView(
            u.Id, u.OrganizationId, u.Email, u.Name, u.Status.ToString().ToLower(),
            db.UserRoles.Where(ur => ur.UserId == u.Id).Select(ur => ur.Role!.Name).OrderBy(n => n).ToList(),
            u.EmailVerifiedAt, u.LastLoginAt, u.CreatedAt));

    internal static ProblemDetails NotFound(Guid id) => new()
    {
        Status = StatusCodes.Status404NotFound,
        Title = "User not found",
        Detail = $"No user {id} in your organization.",
    };
}

/// <summary>Administration of an organization's users: invitations and (de)activation.</summary>
public sealed class UserAdministration(AuthDbContext db, EventOutbox outbox, AuditTrail audit, Privileges privileges, TimeProvider time)
{
    public async Task<Results<Created<UserEndpoints.UserView>, ValidationProblem, ProblemHttpResult>> InviteAsync(
        string email, string name, string roleName, ClaimsPrincipal principal, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        var normalized = User.NormalizeEmail(email);
        var role = await db.Roles.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Name == roleName && (r.OrganizationId == null || r.OrganizationId == organizationId), ct);
        if (role is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"role '{roleName}' does not exist."] });
        }

        var userId = Guid.CreateVersion7();
        ProblemHttpResult? refusal;
        try
        {
            // The checks and the new user (with its role, mail event and audit record) commit together, under the
            // organization's lock, so an inviter demoted meanwhile cannot still invite with the role they lost.
            refusal = await db.InTransactionAsync<ProblemHttpResult?>(async token =>
            {
                if ((await privileges.BeginChangeAsync(actor, organizationId, Permissions.UsersWrite, token)
                    ?? await privileges.MayGrantAsync(actor, organizationId, role.Id, token)) is { } refused)
                {
                    return refused;
                }

                if (await db.Users.AnyAsync(u => u.Email == normalized, token))
                {
                    return EmailTaken();
                }

                var now = time.GetUtcNow();
                db.Users.Add(new User { Id = userId, OrganizationId = organizationId, Email = normalized, Name = name.Trim(), CreatedAt = now, UpdatedAt = now });
                db.UserRoles.Add(new UserRole { UserId = userId, RoleId = role.Id, OrganizationId = organizationId, AssignedBy = actor, AssignedAt = now });
                outbox.Enqueue(db, new UserPasswordResetRequested(userId, normalized, organizationId, now, "invited"), organizationId, $"users/{userId}");
                audit.Record(db, AuditActions.UserCreate, AuditResults.Success, organizationId, actor, "user", userId,
                    new { invited = normalized, role = role.Name });
                return null;
            }, ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return EmailTaken(); // registered elsewhere (another organization) between the check and the insert
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ForeignKeyViolation })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = [$"role '{roleName}' was deleted meanwhile."] });
        }

        if (refusal is not null)
        {
            return refusal;
        }

        var view = await UserEndpoints.Project(db, UserEndpoints.UsersOf(db, organizationId).Where(u => u.Id == userId)).SingleAsync(ct);
        return TypedResults.Created($"/api/users/{userId}", view);
    }

    private static ProblemHttpResult EmailTaken() =>
        TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Email already registered", Detail = "An account with this email already exists." });

    /// <summary>
    /// Activates or deactivates a user of the caller's organization, never one above the caller's level, never the
    /// last active Admin; deactivation ends every session at once.
    /// </summary>
    public async Task<Results<Ok<UserEndpoints.UserView>, ProblemHttpResult>> SetStatusAsync(
        Guid id, ClaimsPrincipal principal, UserStatus status, CancellationToken ct)
    {
        var organizationId = Claims.OrganizationOf(principal)!.Value;
        var actor = Claims.UserIdOf(principal)!.Value;
        ProblemHttpResult? refusal;
        try
        {
            // The checks, the status, the ended sessions and the audit record form one transaction (under the
            // execution strategy, which re-runs all of it after a transient failure).
            refusal = await db.InTransactionAsync<ProblemHttpResult?>(async token =>
            {
                if (await privileges.BeginChangeAsync(actor, organizationId, Permissions.UsersActivate, token) is { } gone)
                {
                    return gone;
                }

                // The user's row too: a login (which stamps the row) cannot turn this change into a conflict meanwhile.
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {id} AND organization_id = {organizationId} FOR NO KEY UPDATE", token);
                var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.OrganizationId == organizationId, token);
                if (user is null)
                {
                    return TypedResults.Problem(UserEndpoints.NotFound(id));
                }

                if (user.Id == actor && status != UserStatus.Active)
                {
                    return TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Cannot deactivate yourself", Detail = "Ask another administrator." });
                }

                if ((await privileges.MayActOnAsync(actor, id, organizationId, token)
                    ?? (status == UserStatus.Active ? await privileges.MayRestoreAsync(actor, id, organizationId, token) : null)) is { } refused)
                {
                    return refused;
                }

                if (user.Status == status)
                {
                    return null; // already so: nothing to change, record or publish
                }

                if (status != UserStatus.Active && await privileges.KeepsAnActiveAdminAsync(organizationId, id, token) is { } lastAdmin)
                {
                    return lastAdmin;
                }

                var now = time.GetUtcNow();
                user.Status = status;
                user.UpdatedAt = now;
                if (status != UserStatus.Active)
                {
                    await db.EndAllSessionsAsync(id, "deactivated", now, token);
                }

                audit.Record(db, status == UserStatus.Active ? AuditActions.UserActivate : AuditActions.UserDeactivate, AuditResults.Success,
                    organizationId, actor, "user", id);
                return null;
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Changed at the same time", Detail = "The user was changed by another request; read it again." });
        }

        if (refusal is not null)
        {
            return refusal;
        }

        return TypedResults.Ok(await UserEndpoints.Project(db, UserEndpoints.UsersOf(db, organizationId).Where(u => u.Id == id)).SingleAsync(ct));
    }
}
