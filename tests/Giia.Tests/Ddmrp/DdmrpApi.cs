using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Ddmrp;

/// <summary>Drives the buffer engine's REST API as a client would, and sets up a product Catalog can size a buffer for.</summary>
public sealed class DdmrpApi(GiiaAppFixture fixture) : IDisposable
{
    private readonly HttpClient http = fixture.CreateHttpClient("ddmrp");

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is string raw)
        {
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400)
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                $"{method} {path}: {(int)response.StatusCode} without problem+json: {text}");
        }

        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>A GET whose answer is not JSON (the SVG pictures): status, media type, headers and text.</summary>
    public async Task<(HttpStatusCode Status, string? MediaType, HttpResponseHeaders Headers, string Text)> GetTextAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, await response.Content.ReadAsStringAsync());
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> CalculateAsync(string token, string productId) =>
        SendAsync(HttpMethod.Post, "/api/buffers/calculate", token, new { productId });

    public async Task PutAsync(string path, string token, object body)
    {
        var (status, problem) = await SendAsync(HttpMethod.Put, path, token, body);
        Assert.True(status == HttpStatusCode.OK, $"PUT {path}: {(int)status} {problem}");
    }

    /// <summary>
    /// A product with an average-ADU profile (LTF 0.5, VF 0.6), a primary supplier link of 10 days, MOQ 100 and a
    /// multiple of 50; returns its id.
    /// </summary>
    public static async Task<string> NewBufferedProductAsync(CatalogApi catalog, string token, string sku)
    {
        var profile = await CatalogApi.NewBufferProfileAsync(catalog, token, $"Profile {sku}");
        var supplier = await CatalogApi.NewSupplierAsync(catalog, token, $"S-{sku}");
        var product = await CatalogApi.NewProductAsync(catalog, token, sku, profile.GetProperty("id").GetGuid());
        var productId = product.GetProperty("id").GetString()!;
        using var link = await catalog.SendAsync(HttpMethod.Put, $"/api/products/{productId}/suppliers/{supplier.GetProperty("id").GetString()}", token,
            new { leadTimeDays = 10, unitCost = 1.5m, minimumOrderQuantity = 100m, isPrimary = true, orderMultiple = 50m });
        Assert.True(link.IsSuccessStatusCode, $"link: {(int)link.StatusCode} {await link.Content.ReadAsStringAsync()}");
        return productId;
    }

    public void Dispose() => http.Dispose();
}
