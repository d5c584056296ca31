using System.Net;
using System.Net.Http.Headers;
using System.Text;

using Aspire.Hosting.Testing;

using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Authorization;

/// <summary>
/// A request is authenticated and authorized before its body is read: an anonymous caller's large body is a 401, and
/// an authorized caller's body over the endpoint's limit is a 413 problem, never a 500.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class RequestBodyLimitTests(GiiaAppFixture fixture)
{
    private const int LargeBody = 1024 * 1024;

    private const int OverSmallJsonLimit = 64 * 1024;

    public static TheoryData<string, string> ProtectedEndpoints => new()
    {
        { "catalog", "/api/products" },
        { "catalog", "/api/buffer-profiles" },
        { "auth", "/api/roles" },
        { "auth", "/api/users" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task An_anonymous_large_body_is_a_401(string service, string path)
    {
        // "Expect: 100-continue": the server asks for the body only when the endpoint reads it. A 401 that comes
        // instead proves the body was never read (and spares the test a race with the server closing the
        // connection on a body it refused to take).
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) })
        {
            BaseAddress = fixture.App.GetEndpoint(service, "http"),
        };
        using var request = JsonPost(path, LargeBody, token: null);
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{service} {path}: {(int)response.StatusCode} {text}");
    }

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task An_authorized_body_over_the_limit_is_a_413_problem(string service, string path)
    {
        using var auth = new AuthApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        using var http = fixture.CreateHttpClient(service);

        using var response = await http.SendAsync(JsonPost(path, OverSmallJsonLimit, tokens.AccessToken));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{service} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A well-formed JSON command whose one text field makes it <paramref name="size"/> bytes or more.</summary>
    private static HttpRequestMessage JsonPost(string path, int size, string? token)
    {
        var json = $$"""{"name": "{{new string('x', size)}}", "sku": "A-1", "email": "a@example.com"}""";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }
}
