using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

namespace Giia.Tests.Platform;

/// <summary>Each class of bad input is a 400 problem+json naming the field, never a 500 from PostgreSQL or an event schema.</summary>
[Collection(GiiaSystem.Name)]
public sealed class InputClassTests(GiiaAppFixture fixture)
{
    [Theory]
    [InlineData("catalog", "/api/products?search=%00", "search")]
    [InlineData("catalog", "/api/products?category=bolt%00", "category")]
    [InlineData("catalog", "/api/products?status=1", "status")]
    [InlineData("catalog", "/api/products?status=ACTIVE", "status")]
    [InlineData("catalog", "/api/products?page=21474837&pageSize=100", "page")]
    [InlineData("catalog", "/api/suppliers?page=2147483647", "page")]
    [InlineData("catalog", "/api/products?pageSize=99999999999", "pageSize")]
    [InlineData("auth", "/api/audit-logs?action=%00", "action")]
    [InlineData("auth", "/api/audit-logs?result=x%01y", "result")]
    [InlineData("auth", "/api/audit-logs?page=2147483647&pageSize=100", "page")]
    [InlineData("auth", "/api/audit-logs?from=0001-01-01T00:00:00Z", "from")]
    [InlineData("auth", "/api/users?page=100000000&pageSize=100", "page")]
    public async Task Bad_query_values_are_400_naming_the_field(string service, string path, string field)
    {
        using var auth = new AuthApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        using var client = fixture.CreateHttpClient(service);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new("Bearer", tokens.AccessToken);

        using var response = await client.SendAsync(request);

        await AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task A_date_time_with_any_offset_is_the_instant_it_names()
    {
        using var auth = new AuthApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToOffset(TimeSpan.FromHours(5.5)).ToString("O"));

        using var response = await auth.GetAsync($"/api/audit-logs?from={from}&to=2999-01-01T00:00:00%2B01:00", tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(page.GetProperty("items").EnumerateArray(), a => a.GetProperty("action").GetString() == "user.login");
    }

    [Theory]
    [InlineData("ana@example.c")]
    [InlineData("ana..maria@example.com")]
    [InlineData("ana\u0000@example.com")]
    public async Task Emails_the_event_schema_would_refuse_are_refused_at_registration(string email)
    {
        using var auth = new AuthApi(fixture);
        using var response = await auth.PostAsync("/api/auth/register",
            new { email, password = "correct horse battery", name = "Ana", organizationName = "Acme" });
        await AssertValidationProblemAsync(response, "email");
    }

    [Fact]
    public async Task A_nul_in_a_login_email_is_a_400()
    {
        using var auth = new AuthApi(fixture);
        using var response = await auth.PostAsync("/api/auth/login", new { email = "ana\u0000@example.com", password = "whatever it is" });
        await AssertValidationProblemAsync(response, "email");
    }

    [Theory]
    [InlineData("""{"name":"Fine","aduMethod":"average","leadTimeFactor":0.00001,"variabilityFactor":0.5}""", "leadTimeFactor")]
    [InlineData("""{"name":"Fine","aduMethod":"average","leadTimeFactor":0.5,"variabilityFactor":0.123456}""", "variabilityFactor")]
    [InlineData("""{"name":"Nul\u0000name","aduMethod":"average","leadTimeFactor":0.5,"variabilityFactor":0.5}""", "name")]
    [InlineData("""{"name":"Fine","aduMethod":1,"leadTimeFactor":0.5,"variabilityFactor":0.5}""", "aduMethod")]
    [InlineData("""{"name":"Fine","aduMethod":"average","leadTimeFactor":0.5,"variabilityFactor":0.5,"status":"ARCHIVED"}""", "status")]
    [InlineData("""{"name":"Fine","aduMethod":"average","leadTimeFactor":1e40,"variabilityFactor":0.5}""", "leadTimeFactor")]
    public async Task Bad_buffer_profiles_are_400_naming_the_field_and_create_nothing(string body, string field)
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/buffer-profiles", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", tenant.AdminToken);
        using var client = fixture.CreateHttpClient("catalog");

        using var response = await client.SendAsync(request);

        await AssertValidationProblemAsync(response, field);
        var (_, list, _) = await catalog.GetAsync("/api/buffer-profiles", tenant.AdminToken);
        Assert.Equal(0, list.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("""{"sku":"DEC-1","name":"n","unitOfMeasure":"EA","standardCost":0.123456}""", "standardCost")]
    [InlineData("""{"sku":"DEC-1","name":"n","unitOfMeasure":"EA","standardCost":1,"description":"ok\nbut\u0000nul"}""", "description")]
    public async Task Bad_products_are_400_naming_the_field(string body, string field)
    {
        using var auth = new AuthApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/products", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", tenant.AdminToken);
        using var client = fixture.CreateHttpClient("catalog");

        using var response = await client.SendAsync(request);

        await AssertValidationProblemAsync(response, field);
    }

    internal static async Task AssertValidationProblemAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400 naming {field}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), $"no error for {field}: {body}");
    }
}
