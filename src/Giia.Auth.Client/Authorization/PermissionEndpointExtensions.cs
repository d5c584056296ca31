using Microsoft.AspNetCore.Builder;

namespace Giia.Auth.Client;

public static class PermissionEndpointExtensions
{
    /// <summary>
    /// Requires an authenticated caller who holds <paramref name="permission"/>, checked by the authorization
    /// middleware before the endpoint binds its parameters. On a group it applies to every endpoint of the group.
    /// </summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequirePermissionAttribute(permission));
}
