using System.Security.Claims;

using Giia.Auth.Accounts;
using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Grpc.V1;
using Giia.Auth.Rbac;
using Giia.Auth.Tokens;

using Google.Protobuf.WellKnownTypes;

using Grpc.Core;

using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Giia.Auth;

/// <summary>
/// gRPC <c>auth.v1.AuthService</c>: a thin adapter over the same code the REST API uses. Calls other than
/// ValidateToken carry the user's bearer token in the <c>authorization</c> metadata; a question about another user or
/// another organization than the token's is refused.
/// </summary>
public sealed class AuthGrpcService(AccessTokens tokens, AuthDbContext db, PermissionChecks permissions, PermissionCache sessions,
    IAuthorizationService authorization) : AuthService.AuthServiceBase
{
    /// <summary>The most permissions one BatchCheckPermissions may ask about (documented in auth.proto).</summary>
    public const int MaxBatchPermissions = 100;

    public override async Task<ValidateTokenResponse> ValidateToken(ValidateTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await tokens.ValidateAsync(request.Token);
        if (!result.IsValid)
        {
            return new ValidateTokenResponse { Valid = false, Error = result.Exception?.Message ?? "invalid token" };
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        var userId = Claims.UserIdOf(principal);
        var active = userId is not null && await db.Users.AnyAsync(u => u.Id == userId && u.Status == UserStatus.Active, context.CancellationToken);
        if (!active)
        {
            return new ValidateTokenResponse { Valid = false, Error = "the user is not active" };
        }

        if (await sessions.IsLiveAsync(principal, context.CancellationToken) is { } ended)
        {
            return new ValidateTokenResponse { Valid = false, Error = ended };
        }

        var response = new ValidateTokenResponse
        {
            Valid = true,
            UserId = userId!.Value.ToString(),
            OrganizationId = Claims.OrganizationOf(principal)?.ToString() ?? "",
            Email = principal.FindFirst(Claims.Email)?.Value ?? "",
            ExpiresAt = Timestamp.FromDateTime(result.SecurityToken.ValidTo.ToUniversalTime()),
        };
        response.Roles.AddRange(principal.FindAll(Claims.Roles).Select(c => c.Value));
        return response;
    }

    [Authorize]
    public override async Task<CheckPermissionResponse> CheckPermission(CheckPermissionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (userId, organizationId) = ParseIds(request.UserId, request.OrganizationId);
        RequirePermissionName(request.Permission, "permission");
        var caller = Caller(context);
        var metadata = Metadata(context);
        var decision = Mismatch(caller, userId, organizationId) is { } refusal
            ? permissions.Refuse(caller.UserId, caller.OrganizationId, request.Permission, refusal, new CheckTarget(userId, organizationId), metadata)
            : await permissions.CheckAsync(userId, organizationId, request.Permission, metadata, context.CancellationToken);
        return new CheckPermissionResponse { Allowed = decision.Allowed, Reason = decision.Reason };
    }

    [Authorize]
    public override async Task<BatchCheckPermissionsResponse> BatchCheckPermissions(BatchCheckPermissionsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (userId, organizationId) = ParseIds(request.UserId, request.OrganizationId);
        if (request.Permissions.Count is 0 or > MaxBatchPermissions)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"permissions must list between 1 and {MaxBatchPermissions} permissions (got {request.Permissions.Count})"));
        }

        foreach (var permission in request.Permissions)
        {
            RequirePermissionName(permission, "permissions");
        }

        var caller = Caller(context);
        var response = new BatchCheckPermissionsResponse();
        var metadata = Metadata(context);
        var target = new CheckTarget(userId, organizationId);
        var decisions = Mismatch(caller, userId, organizationId) is { } refusal
            ? request.Permissions.Distinct().ToDictionary(p => p, p => permissions.Refuse(caller.UserId, caller.OrganizationId, p, refusal, target, metadata))
            : await permissions.CheckManyAsync(userId, organizationId, request.Permissions, metadata, context.CancellationToken);
        foreach (var (permission, decision) in decisions)
        {
            response.Results[permission] = decision.Allowed;
            if (!decision.Allowed)
            {
                response.Reasons[permission] = decision.Reason;
            }
        }

        return response;
    }

    /// <summary>
    /// A user of the caller's organization. Asking about oneself needs only to be an active member; asking about
    /// anyone else needs <c>users:read</c>, decided by the same permission model as every endpoint.
    /// </summary>
    [Authorize]
    public override async Task<GetUserResponse> GetUser(GetUserRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (userId, organizationId) = ParseIds(request.UserId, request.OrganizationId);
        var caller = Caller(context);
        if (caller.OrganizationId != organizationId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "organization_id is not the caller's organization"));
        }

        var http = context.GetHttpContext();
        if (caller.UserId == userId)
        {
            if (await permissions.MembershipAsync(caller.UserId, caller.OrganizationId, context.CancellationToken) is { Allowed: false } refused)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, refused.Reason));
            }
        }
        else if (await authorization.AuthorizeAsync(http.User, http, new PermissionRequirement(Permissions.UsersRead)) is { Succeeded: false } denied)
        {
            var reason = denied.Failure?.FailureReasons.FirstOrDefault()?.Message ?? $"this needs the {Permissions.UsersRead} permission";
            throw new RpcException(new Status(StatusCode.PermissionDenied, reason));
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId && u.OrganizationId == organizationId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no user {userId} in organization {organizationId}"));
        var roles = await db.UserRoles.AsNoTracking().Where(ur => ur.UserId == userId).Select(ur => ur.Role!.Name).OrderBy(n => n)
            .ToListAsync(context.CancellationToken);
        var message = new Grpc.V1.User
        {
            Id = user.Id.ToString(),
            OrganizationId = user.OrganizationId.ToString(),
            Email = user.Email,
            Name = user.Name,
            Status = user.Status.ToString().ToLowerInvariant(),
            CreatedAt = Timestamp.FromDateTimeOffset(user.CreatedAt),
        };
        if (user.LastLoginAt is { } lastLogin)
        {
            message.LastLoginAt = Timestamp.FromDateTimeOffset(lastLogin);
        }

        message.Roles.AddRange(roles);
        return new GetUserResponse { User = message };
    }

    /// <summary>Request metadata for the audit log: gRPC runs over HTTP/2, so its metadata are the request's headers.</summary>
    private static RequestMetadata Metadata(ServerCallContext context) => RequestMetadata.From(context.GetHttpContext());

    private static (Guid UserId, Guid OrganizationId) ParseIds(string userId, string organizationId)
    {
        if (!Guid.TryParse(userId, out var user))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "user_id must be a UUID"));
        }

        if (!Guid.TryParse(organizationId, out var organization))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "organization_id must be a UUID"));
        }

        return (user, organization);
    }

    private static void RequirePermissionName(string permission, string field)
    {
        if (string.IsNullOrEmpty(permission) || permission.Length > 100 || permission.Count(c => c == ':') != 1
            || Giia.HttpApi.TextRules.HasForbiddenCharacters(permission))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} must be 'resource:action' names"));
        }
    }

    /// <summary>The caller, authenticated from the bearer token in the call's metadata before the call reached the service.</summary>
    private static (Guid UserId, Guid OrganizationId) Caller(ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        return Claims.UserIdOf(user) is { } id && Claims.OrganizationOf(user) is { } organization
            ? (id, organization)
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "a valid bearer token is required in the authorization metadata"));
    }

    private static string? Mismatch((Guid UserId, Guid OrganizationId) caller, Guid userId, Guid organizationId) =>
        caller.OrganizationId != organizationId ? "organization_id is not the caller's organization"
        : caller.UserId != userId ? "user_id is not the caller"
        : null;
}
