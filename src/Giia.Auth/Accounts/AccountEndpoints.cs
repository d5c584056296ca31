using System.Security.Claims;

using Giia.Auth.Audit;
using Giia.Auth.Tokens;
using Giia.ServiceDefaults;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Giia.Auth.Accounts;

/// <summary>REST for the account lifecycle under <c>/api/auth</c>.</summary>
public static class AccountEndpoints
{
    public sealed record RegisterRequest(string? Email, string? Password, string? Name, string? OrganizationName);

    public sealed record RegisterResponse(Guid UserId, Guid OrganizationId, string Email, string Status);

    public sealed record TokenRequest(string? Token);

    public sealed record EmailRequest(string? Email);

    public sealed record LoginRequest(string? Email, string? Password);

    public sealed record RefreshRequest(string? RefreshToken);

    public sealed record ResetPasswordRequest(string? Token, string? NewPassword);

    public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

    public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshExpiresIn);

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/auth").WithTags("Authentication").WithRequestBodyLimit(RequestBodyLimits.SmallJson).RequireRateLimiting(AuthRateLimiting.Policy);
        api.MapPost("/register", RegisterAsync).WithName("Register");
        api.MapPost("/verify-email", VerifyEmailAsync).WithName("VerifyEmail");
        api.MapPost("/resend-verification", ResendVerificationAsync).WithName("ResendVerification");
        api.MapPost("/login", LoginAsync).WithName("Login");
        api.MapPost("/refresh", RefreshAsync).WithName("Refresh");
        api.MapPost("/logout", LogoutAsync).WithName("Logout");
        api.MapPost("/forgot-password", ForgotPasswordAsync).WithName("ForgotPassword");
        api.MapPost("/reset-password", ResetPasswordAsync).WithName("ResetPassword");
        api.MapPost("/change-password", ChangePasswordAsync).WithName("ChangePassword").RequireAuthorization();
        return endpoints;
    }

    private static async Task<Results<Created<RegisterResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request, AccountService accounts, PasswordPolicy policy, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors()
            .Email("email", request.Email)
            .Text("name", request.Name, 200)
            .Text("organizationName", request.OrganizationName, 200)
            .Password("password", request.Password, policy, request.Email);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await accounts.RegisterAsync(request.Email!, request.Password!, request.Name!, request.OrganizationName!, cancellationToken);
        if (result.Outcome == Outcome.Conflict)
        {
            return TypedResults.Problem(Problem(StatusCodes.Status409Conflict, "Email already registered", result.Message!));
        }

        var user = result.Value!;
        return TypedResults.Created($"/api/users/{user.Id}",
            new RegisterResponse(user.Id, user.OrganizationId, user.Email, user.Status.ToString().ToLowerInvariant()));
    }

    private static async Task<Results<Ok<RegisterResponse>, ValidationProblem, ProblemHttpResult>> VerifyEmailAsync(
        TokenRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("token", request.Token, 200);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await accounts.VerifyEmailAsync(request.Token!, cancellationToken);
        if (result.Outcome != Outcome.Ok)
        {
            return TypedResults.Problem(Problem(StatusCodes.Status400BadRequest, "Invalid token", result.Message!));
        }

        var user = result.Value!;
        return TypedResults.Ok(new RegisterResponse(user.Id, user.OrganizationId, user.Email, user.Status.ToString().ToLowerInvariant()));
    }

    private static async Task<Results<Accepted, ValidationProblem>> ResendVerificationAsync(
        EmailRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Email("email", request.Email);
        if (errors.Any)
        {
            return errors.Problem();
        }

        await accounts.ResendVerificationAsync(request.Email!, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, UnauthorizedHttpResult, ProblemHttpResult>> LoginAsync(
        LoginRequest request, AccountService accounts, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Email("email", request.Email).Text("password", request.Password, 1024);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await accounts.LoginAsync(request.Email!, request.Password!, RequestMetadata.From(http), cancellationToken);
        return ToTokenResult(result, http);
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, UnauthorizedHttpResult, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, AccountService accounts, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("refreshToken", request.RefreshToken, 200);
        if (errors.Any)
        {
            return errors.Problem();
        }

        return ToTokenResult(await accounts.RefreshAsync(request.RefreshToken!, RequestMetadata.From(http), cancellationToken), http);
    }

    private static async Task<Results<NoContent, ValidationProblem>> LogoutAsync(
        RefreshRequest request, AccountService accounts, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("refreshToken", request.RefreshToken, 200);
        if (errors.Any)
        {
            return errors.Problem();
        }

        await accounts.LogoutAsync(request.RefreshToken!, RequestMetadata.From(http), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted, ValidationProblem>> ForgotPasswordAsync(
        EmailRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Email("email", request.Email);
        if (errors.Any)
        {
            return errors.Problem();
        }

        await accounts.ForgotPasswordAsync(request.Email!, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(
        ResetPasswordRequest request, AccountService accounts, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("token", request.Token, 200).Text("newPassword", request.NewPassword, 1024);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await accounts.ResetPasswordAsync(request.Token!, request.NewPassword!, cancellationToken);
        return result.Outcome == Outcome.Ok
            ? TypedResults.NoContent()
            : TypedResults.Problem(Problem(StatusCodes.Status400BadRequest, "Password not reset", result.Message!));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, AccountService accounts, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("currentPassword", request.CurrentPassword, 1024).Text("newPassword", request.NewPassword, 1024);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await accounts.ChangePasswordAsync(Claims.UserIdOf(principal)!.Value, Claims.SessionOf(principal),
            request.CurrentPassword!, request.NewPassword!, cancellationToken);
        return result.Outcome switch
        {
            Outcome.Ok => TypedResults.NoContent(),
            Outcome.Invalid => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = [result.Message!] }),
            Outcome.Conflict => TypedResults.Problem(Problem(StatusCodes.Status409Conflict, "Changed at the same time", result.Message!)),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: result.Message),
        };
    }

    private static Results<Ok<TokenResponse>, ValidationProblem, UnauthorizedHttpResult, ProblemHttpResult> ToTokenResult(
        AccountResult<TokenPair> result, HttpContext http)
    {
        switch (result.Outcome)
        {
            case Outcome.Ok:
                var pair = result.Value!;
                var now = DateTimeOffset.UtcNow;
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new TokenResponse(pair.AccessToken, "Bearer", (int)(pair.AccessTokenExpiresAt - now).TotalSeconds,
                    pair.RefreshToken, (int)(pair.RefreshTokenExpiresAt - now).TotalSeconds));
            case Outcome.Locked:
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins", detail: result.Message);
            case Outcome.Forbidden:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sign-in not allowed", detail: result.Message);
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: result.Message);
        }
    }

    internal static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
