using Microsoft.AspNetCore.Authorization;

namespace Giia.Auth.Client;

/// <summary>Why a permission requirement failed, carried from the handler to the response (401, 403 or 503).</summary>
internal sealed class PermissionFailureReason(IAuthorizationHandler handler, PermissionFailure kind, string message)
    : AuthorizationFailureReason(handler, message)
{
    public PermissionFailure Kind { get; } = kind;
}

internal enum PermissionFailure
{
    Denied,
    Unauthenticated,
    Unavailable,
}
