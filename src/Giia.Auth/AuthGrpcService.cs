using System.Security.Claims;

using Giia.Auth.Accounts;
using Giia.Auth.Audit;
using Giia.Auth.Data;
using Giia.Auth.Grpc.V1;
using Giia.Auth.Rbac;
using Giia.Auth.Tokens;

using Google.Protobuf.WellKnownTypes;

using Grpc.Core;

using Microsoft.EntityFrameworkCore;

namespace Giia.Auth;

/// <summary>
/// gRPC <c>auth.v1.AuthService</c>: a thin adapter over the same code the REST API uses. Calls other than
/// ValidateToken carry the user's bearer token in the <c>authorization</c> metadata; a question about another user or
/// another organization than the token's is refused.
/// </summary>
public sealed class AuthGrpcService(AccessTokens tokens, AuthDbContext db, PermissionChecks permissions) : AuthService.AuthServiceBase
{
    public override async Task<ValidateTokenResponse> ValidateToken(ValidateTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await tokens.ValidateAsync(request.Token);
        if (!result.IsValid)
        {
            return new ValidateTokenResponse { Valid = false, Error = result.Exception?.Message ?? "invalid token" };
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        var userId = AccessTokens.UserId(principal);
        var active = userId is not null && await db.Users.AnyAsync(u => u.Id == userId && u.Status == UserStatus.Active, context.CancellationToken);
        if (!active)
        {
            return new ValidateTokenResponse { Valid = false, Error = "the user is not active" };
        }

        var response = new ValidateTokenResponse
        {
            Valid = true,
            UserId = userId!.Value.ToString(),
            OrganizationId = AccessTokens.OrganizationOf(principal)?.ToString() ?? "",
            Email = principal.FindFirst(GiiaClaims.Email)?.Value ?? "",
            ExpiresAt = Timestamp.FromDateTime(result.SecurityToken.ValidTo.ToUniversalTime()),
        };
        response.Roles.AddRange(principal.FindAll(GiiaClaims.Roles).Select(c => c.Value));
        return response;
    }

    public override async Task<CheckPermissionResponse> CheckPermission(CheckPermissionRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (userId, organizationId) = ParseIds(request.UserId, request.OrganizationId);
        RequirePermissionName(request.Permission, "permission");
        var metadata = Metadata(context);
        var decision = await CallerMismatchAsync(context, userId, organizationId) is { } refusal
            ? permissions.Refuse(userId, organizationId, request.Permission, refusal, metadata)
            : await permissions.CheckAsync(userId, organizationId, request.Permission, metadata, context.CancellationToken);
        return new CheckPermissionResponse { Allowed = decision.Allowed, Reason = decision.Reason };
    }

    public override async Task<BatchCheckPermissionsResponse> BatchCheckPermissions(BatchCheckPermissionsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (userId, organizationId) = ParseIds(request.UserId, request.OrganizationId);
        if (request.Permissions.Count is 0 or > 100)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "permissions must list between 1 and 100 permissions"));
        }

        foreach (var permission in request.Permissions)
        {
            RequirePermissionName(permission, "permissions");
        }

        var response = new BatchCheckPermissionsResponse();
        var metadata = Metadata(context);
        var decisions = await CallerMismatchAsync(context, userId, organizationId) is { } refusal
            ? request.Permissions.Distinct().ToDictionary(p => p, p => permissions.Refuse(userId, organizationId, p, refusal, metadata))
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

    public override async Task<GetUserResponse> GetUser(GetUserRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var (userId, organizationId) = ParseIds(request.UserId, request.OrganizationId);
        var caller = await CallerAsync(context);
        if (AccessTokens.OrganizationOf(caller) != organizationId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "organization_id is not the caller's organization"));
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
            || Giia.ServiceDefaults.TextRules.HasForbiddenCharacters(permission))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} must be 'resource:action' names"));
        }
    }

    /// <summary>The caller, from the bearer token in the call's metadata; Unauthenticated when it is missing or invalid.</summary>
    private async Task<ClaimsPrincipal> CallerAsync(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization") ?? "";
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "a bearer token is required in the authorization metadata"));
        }

        var result = await tokens.ValidateAsync(header[scheme.Length..].Trim());
        return result.IsValid
            ? new ClaimsPrincipal(result.ClaimsIdentity)
            : throw new RpcException(new Status(StatusCode.Unauthenticated, $"invalid token: {result.Exception?.Message}"));
    }

    private async Task<string?> CallerMismatchAsync(ServerCallContext context, Guid userId, Guid organizationId)
    {
        var caller = await CallerAsync(context);
        if (AccessTokens.OrganizationOf(caller) != organizationId)
        {
            return "organization_id is not the caller's organization";
        }

        return AccessTokens.UserId(caller) != userId ? "user_id is not the caller" : null;
    }
}
