using System.Security.Claims;

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Giia.Auth.Client;

/// <summary>
/// A token signed with a key this service has not seen yet (Auth rotated its key) is checked again against Auth's
/// JWKS fetched at once, so the new key is accepted on its first use instead of after the next scheduled refresh.
/// Fetches are rate-limited per process (at most one per <see cref="MinimumInterval"/>, concurrent requests share it),
/// so tokens with made-up key ids cannot turn into a flood of JWKS requests.
/// </summary>
public sealed class SigningKeyRefresh(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim gate = new(1, 1);
    private DateTimeOffset lastFetch = DateTimeOffset.MinValue;
    private OpenIdConnectConfiguration? latest;

    /// <summary>How many times Auth's metadata was fetched because of an unknown key id.</summary>
    public int Fetches { get; private set; }

    public void Dispose() => gate.Dispose();

    internal static Task OnAuthenticationFailed(AuthenticationFailedContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<SigningKeyRefresh>().RetryAsync(context);

    private async Task RetryAsync(AuthenticationFailedContext context)
    {
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException
            || BearerToken(context) is not { } token
            || await FreshConfigurationAsync(context.Options, context.HttpContext.RequestAborted) is not { } configuration)
        {
            return;
        }

        var parameters = context.Options.TokenValidationParameters.Clone();
        parameters.ValidIssuer = configuration.Issuer;
        parameters.IssuerSigningKeys = configuration.SigningKeys;
        var result = await new JsonWebTokenHandler { MapInboundClaims = context.Options.MapInboundClaims }.ValidateTokenAsync(token, parameters);
        if (result.IsValid)
        {
            context.Principal = new ClaimsPrincipal(result.ClaimsIdentity);
            context.Success();
            // The handler's own cache catches up too (it is rate-limited by its RefreshInterval).
            context.Options.ConfigurationManager?.RequestRefresh();
        }
    }

    private async Task<OpenIdConnectConfiguration?> FreshConfigurationAsync(JwtBearerOptions options, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - lastFetch < MinimumInterval)
            {
                return latest;
            }

            lastFetch = time.GetUtcNow();
            Fetches++;
            try
            {
                latest = await OpenIdConnectConfigurationRetriever.GetAsync(options.MetadataAddress,
                    new HttpDocumentRetriever(options.Backchannel) { RequireHttps = options.RequireHttpsMetadata }, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                // Auth unreachable: the request stays unauthenticated, as it would have without the retry.
                latest = null;
            }

            return latest;
        }
        finally
        {
            gate.Release();
        }
    }

    private static string? BearerToken(AuthenticationFailedContext context) =>
        context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;
}
