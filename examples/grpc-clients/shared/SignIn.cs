using System.Net.Http.Json;
using System.Text.Json;

namespace Giia.Examples;

/// <summary>Settings from the environment (defaults: a local ./run.sh) and a REST sign-in that returns the access token.</summary>
internal static class SignIn
{
    public static string Setting(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    public static async Task<string> AccessTokenAsync()
    {
        var authHttp = new Uri(Setting("GIIA_AUTH_HTTP", "http://localhost:8083"));
        var email = Setting("GIIA_EMAIL", "admin@demo.giia.local");
        var password = Environment.GetEnvironmentVariable("GIIA_PASSWORD")
            ?? throw new InvalidOperationException("Set GIIA_PASSWORD (for the demo users: the dashboard's demo-password parameter).");
        using var http = new HttpClient { BaseAddress = authHttp };
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Login of {email} failed: {(int)response.StatusCode} {body}");
        }

        Console.WriteLine($"Signed in as {email}");
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }
}
