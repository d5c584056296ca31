using System.Security.Claims;

namespace Giia.Auth.Client;

/// <summary>The claims of a GIIA access token, and how a service reads the caller's user and organization from them.</summary>
public static class Claims
{
    public const string Subject = "sub";
    public const string OrganizationId = "org_id";
    public const string Email = "email";
    public const string Roles = "roles";
    public const string SessionId = "sid";

    /// <summary>RFC 9068 access-token type: a token of another type (an ID token, a refresh token) is never accepted.</summary>
    public const string AccessTokenType = "at+jwt";

    public static Guid? UserIdOf(ClaimsPrincipal? user) => ParseGuid(user?.FindFirst(Subject)?.Value);

    public static Guid? OrganizationOf(ClaimsPrincipal? user) => ParseGuid(user?.FindFirst(OrganizationId)?.Value);

    public static Guid? SessionOf(ClaimsPrincipal? user) => ParseGuid(user?.FindFirst(SessionId)?.Value);

    private static Guid? ParseGuid(string? value) => Guid.TryParse(value, out var id) ? id : null;
}
