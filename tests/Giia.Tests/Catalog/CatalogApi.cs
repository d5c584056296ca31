using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Grpc.Net.Client;

namespace Giia.Tests.Catalog;

/// <summary>Drives the Catalog's REST API and gRPC service as a client would, with a user's bearer token.</summary>
public sealed class CatalogApi(GiiaAppFixture fixture) : IDisposable
{
    private readonly HttpClient http = fixture.CreateHttpClient("catalog");
    private readonly GrpcChannel channel = fixture.CreateGrpcChannel("catalog");

    public CatalogService.CatalogServiceClient Grpc => new(channel);

    public GrpcChannel Channel => channel;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is string raw)
        {
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Creates a resource and returns its body; fails the test with the problem text otherwise.</summary>
    public async Task<JsonElement> CreateAsync(string path, string token, object body)
    {
        using var response = await SendAsync(HttpMethod.Post, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, string? ETag)> GetAsync(string path, string token)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, body, response.Headers.ETag?.ToString());
    }

    public static Task<JsonElement> NewSupplierAsync(CatalogApi catalog, string token, string code = "SUP-1") =>
        catalog.CreateAsync("/api/suppliers", token, new
        {
            code,
            name = $"Supplier {code}",
            contactName = "Ana Ruiz",
            contactEmail = "ana@example.com",
            contactPhone = "+34 600 000 000",
            defaultLeadTimeDays = 12,
        });

    public static Task<JsonElement> NewBufferProfileAsync(CatalogApi catalog, string token, string name = "Purchased, long lead time") =>
        catalog.CreateAsync("/api/buffer-profiles", token, new
        {
            name,
            aduMethod = "average",
            leadTimeFactor = 0.5m,
            variabilityFactor = 0.6m,
        });

    public static Task<JsonElement> NewProductAsync(CatalogApi catalog, string token, string sku, Guid? bufferProfileId = null, string category = "Fasteners") =>
        catalog.CreateAsync("/api/products", token, new
        {
            sku,
            name = $"Hex bolt {sku}",
            description = "Zinc-plated",
            category,
            unitOfMeasure = "EA",
            standardCost = 0.35m,
            bufferProfileId,
        });

    public void Dispose()
    {
        http.Dispose();
        channel.Dispose();
    }
}

/// <summary>An organization for a test: its admin's token and a Viewer's, both signed in through Auth.</summary>
public sealed record Tenant(Guid OrganizationId, string AdminToken, string ViewerToken)
{
    public static async Task<Tenant> CreateAsync(AuthApi auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var (admin, tokens) = await auth.RegisterVerifiedAsync();
        var (_, viewer) = await auth.InviteAndSignInAsync(tokens.AccessToken, "Viewer");
        return new Tenant(admin.OrganizationId, tokens.AccessToken, viewer.AccessToken);
    }
}
