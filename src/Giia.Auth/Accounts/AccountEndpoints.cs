using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Audit;
using Giia.Auth.Outcomes;
using Giia.Auth.Tokens;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Giia.Auth.Accounts;

/// <summary>REST for the account lifecycle under <c>/api/auth</c>.</summary>
public static class AccountEndpoints
{
    [RequestExample("""{"email":"ana@acme.example","password":"long-and-unusual-passphrase","name":"Ana Ruiz","organizationName":"Acme Fasteners"}""")]
    public sealed record RegisterRequest(
        [Required, EmailAddress] string? Email,
        [Required, StringLength(128, MinimumLength = 8), Description("8 to 128 characters, not a common password, not the email.")] string? Password,
        [Required, MaxLength(200)] string? Name,
        [Required, MaxLength(200)] string? OrganizationName);

    public sealed record RegisterResponse(Guid UserId, Guid OrganizationId, string Email, string Status);

    [RequestExample("""{"token":"the-token-from-the-mailed-link"}""")]
    public sealed record TokenRequest([Required, MaxLength(200), Description("The token from the mailed link.")] string? Token);

    [RequestExample("""{"email":"ana@acme.example"}""")]
    public sealed record EmailRequest([Required, EmailAddress] string? Email);

    [RequestExample("""{"email":"ana@acme.example","password":"long-and-unusual-passphrase"}""")]
    public sealed record LoginRequest([Required, EmailAddress] string? Email, [Required, MaxLength(1024)] string? Password);

    [RequestExample("""{"refreshToken":"the-refresh-token-from-login"}""")]
    public sealed record RefreshRequest([Required, MaxLength(200)] string? RefreshToken);

    [RequestExample("""{"token":"the-token-from-the-mailed-link","newPassword":"another-long-passphrase"}""")]
    public sealed record ResetPasswordRequest([Required, MaxLength(200)] string? Token,
        [Required, StringLength(128, MinimumLength = 8), Description("8 to 128 characters, not a common password, not the email.")] string? NewPassword);

    [RequestExample("""{"currentPassword":"long-and-unusual-passphrase","newPassword":"another-long-passphrase"}""")]
    public sealed record ChangePasswordRequest([Required, MaxLength(1024)] string? CurrentPassword,
        [Required, StringLength(128, MinimumLength = 8), Description("8 to 128 characters, not a common password, not the email.")] string? NewPassword);

    public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshExpiresIn);

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/auth").WithTags("Authentication").WithRequestBodyLimit(RequestBodyLimits.SmallJson).RequireRateLimiting(AuthRateLimiting.Policy);
        api.MapPost("/register", RegisterAsync).WithName("Register")
            .WithSummary("Register an organization and its first user")
            .WithDescription("Creates the organization and its first user (role Admin, status `pending`) and mails a verification link. An address that already has an account gets the same answer (201 with ids of its own), so the answer reveals nothing; its owner is told by mail instead.");
        api.MapPost("/verify-email", VerifyEmailAsync).WithName("VerifyEmail")
            .WithSummary("Verify an email address")
            .WithDescription("Activates the user whose mailed verification token this is; an unknown, used or expired token is 400.");
        api.MapPost("/resend-verification", ResendVerificationAsync).WithName("ResendVerification")
            .WithSummary("Mail the verification link again")
            .WithDescription("Answers 202 whether or not the email is registered and pending, so it reveals nothing.");
        api.MapPost("/login", LoginAsync).WithName("Login")
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden)
            .WithSummary("Sign in")
            .WithDescription("Exchanges email and password for a 15-minute access token and a refresh token. 401 for wrong credentials, 403 for an unverified or deactivated user, 429 after 5 failures for one email from one address.");
        api.MapPost("/refresh", RefreshAsync).WithName("Refresh")
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden)
            .WithSummary("Rotate a refresh token")
            .WithDescription("Returns a new access token and a successor refresh token; presenting a used refresh token ends the whole session (401).");
        api.MapPost("/logout", LogoutAsync).WithName("Logout")
            .WithSummary("Sign out")
            .WithDescription("Ends the session of the refresh token; answers 204 whether or not the token was live.");
        api.MapPost("/forgot-password", ForgotPasswordAsync).WithName("ForgotPassword")
            .WithSummary("Mail a password reset link")
            .WithDescription("Answers 202 whether or not the email is registered, so it reveals nothing.");
        api.MapPost("/reset-password", ResetPasswordAsync).WithName("ResetPassword")
            .WithSummary("Reset a password")
            .WithDescription("Sets a new password with the mailed reset token and ends the user's sessions; an unknown, used or expired token is 400.");
        api.MapPost("/change-password", ChangePasswordAsync).WithName("ChangePassword").RequireAuthorization()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Change one's password")
            .WithDescription("Changes the caller's password (401 when the current one is wrong) and ends their other sessions.");
        return endpoints;
    }

    private static async Task<Results<Created<RegisterResponse>, ValidationProblem>> RegisterAsync(
        RegisterRequest request, Registration registration, PasswordPolicy policy, CancellationToken cancellationToken)
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

        var user = await registration.RegisterAsync(request.Email!, request.Password!, request.Name!, request.OrganizationName!, cancellationToken);
        return TypedResults.Created($"/api/users/{user.Id}",
            new RegisterResponse(user.Id, user.OrganizationId, user.Email, user.Status.ToString().ToLowerInvariant()));
    }

    private static async Task<Results<Ok<RegisterResponse>, ValidationProblem, ProblemHttpResult>> VerifyEmailAsync(
        TokenRequest request, Registration registration, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("token", request.Token, 200);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await registration.VerifyEmailAsync(request.Token!, cancellationToken);
        if (result.Refusal is { } refusal)
        {
            return refusal.Problem();
        }

        var user = result.Value!;
        return TypedResults.Ok(new RegisterResponse(user.Id, user.OrganizationId, user.Email, user.Status.ToString().ToLowerInvariant()));
    }

    private static async Task<Results<Accepted, ValidationProblem>> ResendVerificationAsync(
        EmailRequest request, Registration registration, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Email("email", request.Email);
        if (errors.Any)
        {
            return errors.Problem();
        }

        await registration.ResendVerificationAsync(request.Email!, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, UnauthorizedHttpResult, ProblemHttpResult>> LoginAsync(
        LoginRequest request, SignIn signIn, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Email("email", request.Email).Text("password", request.Password, 1024);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await signIn.LoginAsync(request.Email!, request.Password!, RequestMetadata.From(http), cancellationToken);
        return ToTokenResult(result, http);
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, UnauthorizedHttpResult, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, SignIn signIn, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("refreshToken", request.RefreshToken, 200);
        if (errors.Any)
        {
            return errors.Problem();
        }

        return ToTokenResult(await signIn.RefreshAsync(request.RefreshToken!, RequestMetadata.From(http), cancellationToken), http);
    }

    private static async Task<Results<NoContent, ValidationProblem>> LogoutAsync(
        RefreshRequest request, SignIn signIn, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("refreshToken", request.RefreshToken, 200);
        if (errors.Any)
        {
            return errors.Problem();
        }

        await signIn.LogoutAsync(request.RefreshToken!, RequestMetadata.From(http), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted, ValidationProblem>> ForgotPasswordAsync(
        EmailRequest request, PasswordChanges passwords, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Email("email", request.Email);
        if (errors.Any)
        {
            return errors.Problem();
        }

        await passwords.ForgotPasswordAsync(request.Email!, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(
        ResetPasswordRequest request, PasswordChanges passwords, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("token", request.Token, 200).Text("newPassword", request.NewPassword, 1024);
        if (errors.Any)
        {
            return errors.Problem();
        }

        return await passwords.ResetPasswordAsync(request.Token!, request.NewPassword!, cancellationToken) is { } refusal
            ? refusal.Problem()
            : TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, PasswordChanges passwords, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Text("currentPassword", request.CurrentPassword, 1024).Text("newPassword", request.NewPassword, 1024);
        if (errors.Any)
        {
            return errors.Problem();
        }

        return await passwords.ChangePasswordAsync(Claims.UserIdOf(principal)!.Value, Claims.SessionOf(principal),
            request.CurrentPassword!, request.NewPassword!, cancellationToken) switch
        {
            null => TypedResults.NoContent(),
            { Errors: not null } invalid => invalid.ValidationProblem(),
            var refusal => refusal.Problem(),
        };
    }

    private static Results<Ok<TokenResponse>, ValidationProblem, UnauthorizedHttpResult, ProblemHttpResult> ToTokenResult(
        OperationResult<TokenPair> result, HttpContext http)
    {
        if (result.Refusal is { } refusal)
        {
            if (refusal.RetryAfter is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return refusal.Problem();
        }

        var pair = result.Value!;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new TokenResponse(pair.AccessToken, "Bearer", (int)(pair.AccessTokenExpiresAt - now).TotalSeconds,
            pair.RefreshToken, (int)(pair.RefreshTokenExpiresAt - now).TotalSeconds));
    }
}
