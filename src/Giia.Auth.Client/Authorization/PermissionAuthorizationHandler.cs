using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Giia.Auth.Client;

/// <summary>Evaluates every <see cref="PermissionRequirement"/> of the service with its <see cref="IPermissionEvaluator"/>.</summary>
internal sealed class PermissionAuthorizationHandler(IPermissionEvaluator evaluator, IHttpContextAccessor accessor)
    : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            // DenyAnonymousAuthorizationRequirement answers with a challenge; an anonymous caller costs no check.
            return;
        }

        if ((context.Resource as HttpContext ?? accessor.HttpContext) is not { } http)
        {
            context.Fail(new PermissionFailureReason(this, PermissionFailure.Denied, "permissions are checked within a request only"));
            return;
        }

        try
        {
            var verdict = await evaluator.EvaluateAsync(context.User, http, requirement.Permission, http.RequestAborted);
            switch (verdict.Outcome)
            {
                case PermissionOutcome.Allowed:
                    context.Succeed(requirement);
                    break;
                case PermissionOutcome.Unauthenticated:
                    context.Fail(new PermissionFailureReason(this, PermissionFailure.Unauthenticated, verdict.Reason));
                    break;
                default:
                    context.Fail(new PermissionFailureReason(this, PermissionFailure.Denied,
                        $"This needs the {requirement.Permission} permission ({verdict.Reason})."));
                    break;
            }
        }
        catch (AuthorizationUnavailableException ex)
        {
            context.Fail(new PermissionFailureReason(this, PermissionFailure.Unavailable, $"{ex.Message} The request was refused; try again shortly."));
        }
    }
}
