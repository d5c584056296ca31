using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

using Giia.Tests.Infrastructure;

using Grpc.Core;

namespace Giia.Tests.Auth;

/// <summary>Drives Auth's REST API as a client would, and reads the mails it sends from the pickup folder.</summary>
public sealed partial class AuthApi(GiiaAppFixture fixture, string service = "auth") : IDisposable
{
    private readonly HttpClient http = fixture.CreateHttpClient(service);

    public HttpClient Http => http;

    public sealed record Account(string Email, string Password, Guid UserId, Guid OrganizationId);

    public sealed record Tokens(string AccessToken, string RefreshToken);

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public async Task<HttpResponseMessage> PostAsync(string path, object body, string? accessToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string accessToken) => SendAsync(HttpMethod.Get, path, accessToken);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accessToken, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Registers a new organization and its first user; returns the account (not yet verified).</summary>
    public async Task<Account> RegisterAsync(string? email = null, string password = "correct horse battery", string organization = "Acme Planning")
    {
        email ??= NewEmail();
        using var response = await PostAsync("/api/auth/register", new { email, password, name = "Ana Planner", organizationName = organization });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Account(email, password, body.GetProperty("userId").GetGuid(), body.GetProperty("organizationId").GetGuid());
    }

    /// <summary>Registers, verifies through the mailed link, and signs in.</summary>
    public async Task<(Account Account, Tokens Tokens)> RegisterVerifiedAsync(string? email = null)
    {
        var account = await RegisterAsync(email);
        await VerifyFromMailAsync(account.Email);
        return (account, await LoginAsync(account.Email, account.Password));
    }

    public async Task VerifyFromMailAsync(string email)
    {
        var token = await TokenFromMailAsync(email, "verify-email");
        using var verified = await PostAsync("/api/auth/verify-email", new { token });
        Assert.True(verified.StatusCode == HttpStatusCode.OK, $"verify: {(int)verified.StatusCode} {await verified.Content.ReadAsStringAsync()}");
    }

    public async Task<Tokens> LoginAsync(string email, string password)
    {
        using var response = await PostAsync("/api/auth/login", new { email, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"login of {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await TokensOf(response);
    }

    public static async Task<Tokens> TokensOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Tokens(body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    /// <summary>Waits for the mail to <paramref name="email"/> whose link goes to <paramref name="path"/>, and returns its token.</summary>
    public async Task<string> TokenFromMailAsync(string email, string path, int nth = 1)
    {
        var tokens = await Eventually.UntilAsync(() => Task.FromResult(MailTokens(email, path)), found => found.Count >= nth,
            TimeSpan.FromSeconds(60), $"mail #{nth} to {email} with a {path} link");
        return tokens[nth - 1];
    }

    public IReadOnlyList<string> MailTokens(string email, string path)
    {
        if (!Directory.Exists(fixture.MailDirectory))
        {
            return [];
        }

        return Directory.GetFiles(fixture.MailDirectory, "*.eml").Order()
            .Select(File.ReadAllText)
            .Where(text => text.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase))
            .Select(text => LinkToken().Match(text))
            .Where(match => match.Success && match.Groups["path"].Value == path)
            .Select(match => Uri.UnescapeDataString(match.Groups["token"].Value))
            .ToList();
    }

    /// <summary>Invites a member with <paramref name="role"/>, sets their password from the mailed link and signs them in.</summary>
    public async Task<(Guid User, Tokens Tokens)> InviteAndSignInAsync(string adminToken, string role)
    {
        var email = AuthApi.NewEmail("member");
        using var invited = await PostAsync("/api/users", new { email, name = "Member", role }, adminToken);
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var id = (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var token = await TokenFromMailAsync(email, "reset-password");
        using var chosen = await PostAsync("/api/auth/reset-password", new { token, newPassword = "member passphrase one" });
        Assert.Equal(HttpStatusCode.NoContent, chosen.StatusCode);
        return (id, await LoginAsync(email, "member passphrase one"));
    }

    public static Metadata Bearer(string accessToken) => new() { { "authorization", $"Bearer {accessToken}" } };

    public void Dispose() => http.Dispose();

    [GeneratedRegex(@"/(?<path>verify-email|reset-password)\?token=(?<token>[A-Za-z0-9_%\-]+)")]
    private static partial Regex LinkToken();
}
