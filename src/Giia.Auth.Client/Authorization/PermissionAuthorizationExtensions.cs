using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Giia.Auth.Client;

public static class PermissionAuthorizationExtensions
{
    /// <summary>
    /// The one authorization model: ASP.NET Core authorization with <see cref="PermissionRequirement"/> (declared by
    /// <see cref="PermissionEndpointExtensions.RequirePermission"/> or <see cref="RequirePermissionAttribute"/>) answered
    /// by <typeparamref name="TEvaluator"/>, and refusals written as problem+json or gRPC statuses.
    /// <see cref="AuthClientExtensions.AddGiiaAuthClient"/> calls it with Auth's CheckPermission; Auth itself with its own store.
    /// </summary>
    public static IServiceCollection AddPermissionAuthorization<TEvaluator>(this IServiceCollection services) where TEvaluator : class, IPermissionEvaluator
    {
        ArgumentNullException.ThrowIfNull(services);
        // One failed requirement is enough: the others (each a check) are not evaluated after it.
        services.AddAuthorization(options => options.InvokeHandlersAfterFailure = false);
        services.AddHttpContextAccessor();
        services.TryAddSingleton<IPermissionEvaluator, TEvaluator>();
        services.AddSingleton<IAuthorizationHandler, PermissionAuthorizationHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, PermissionResultHandler>();
        return services;
    }
}
