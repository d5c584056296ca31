using System.Net;
using System.Text.Json;

using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Grpc.Core;

namespace Giia.Tests.Catalog;

/// <summary>Every kind of bad input is a 400 (problem+json naming the field) or InvalidArgument, writes nothing, and is never a 500.</summary>
[Collection(GiiaSystem.Name)]
public sealed class CatalogBadInputTests(GiiaAppFixture fixture)
{
    public static TheoryData<string, string, string, string> BadRequests => new()
    {
        // case, path, body, field the problem must name
        { "malformed JSON", "/api/products", "this is not JSON", "body" },
        { "wrong type", "/api/products", """{"sku": "A-1", "name": "A", "unitOfMeasure": "EA", "standardCost": "cheap"}""", "standardCost" },
        { "unknown enum value", "/api/products", """{"sku": "A-1", "name": "A", "unitOfMeasure": "EA", "standardCost": 1, "status": "retired"}""", "status" },
        { "missing field", "/api/products", """{"name": "A", "unitOfMeasure": "EA", "standardCost": 1}""", "sku" },
        { "over-long string", "/api/products", $$"""{"sku": "{{new string('S', 65)}}", "name": "A", "unitOfMeasure": "EA", "standardCost": 1}""", "sku" },
        { "negative cost", "/api/products", """{"sku": "A-1", "name": "A", "unitOfMeasure": "EA", "standardCost": -1}""", "standardCost" },
        { "unknown buffer profile", "/api/products", """{"sku": "A-1", "name": "A", "unitOfMeasure": "EA", "standardCost": 1, "bufferProfileId": "0190c2c4-0000-7000-8000-000000000000"}""", "bufferProfileId" },
        { "buffer profile id not a UUID", "/api/products", """{"sku": "A-1", "name": "A", "unitOfMeasure": "EA", "standardCost": 1, "bufferProfileId": "abc"}""", "bufferProfileId" },
        { "negative lead time", "/api/suppliers", """{"code": "S-1", "name": "S", "defaultLeadTimeDays": -3}""", "defaultLeadTimeDays" },
        { "invalid email", "/api/suppliers", """{"code": "S-1", "name": "S", "defaultLeadTimeDays": 3, "contactEmail": "not-an-email"}""", "contactEmail" },
        { "zero factor", "/api/buffer-profiles", """{"name": "P", "aduMethod": "average", "leadTimeFactor": 0, "variabilityFactor": 0.5}""", "leadTimeFactor" },
        { "negative factor", "/api/buffer-profiles", """{"name": "P", "aduMethod": "average", "leadTimeFactor": 0.5, "variabilityFactor": -0.5}""", "variabilityFactor" },
        { "unknown ADU method", "/api/buffer-profiles", """{"name": "P", "aduMethod": "median", "leadTimeFactor": 0.5, "variabilityFactor": 0.5}""", "aduMethod" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_body_is_a_400_naming_the_field_and_writes_nothing(string what, string path, string body, string field)
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        using var response = await catalog.SendAsync(HttpMethod.Post, path, tokens.AccessToken, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"{what}: the problem names {string.Join(", ", errors.EnumerateObject().Select(p => p.Name))}, not {field}");
        var (_, list, _) = await catalog.GetAsync(path, tokens.AccessToken);
        Assert.Equal(0, list.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("/api/products/not-a-uuid", "id")]
    [InlineData("/api/suppliers/123", "id")]
    [InlineData("/api/buffer-profiles/zz", "id")]
    [InlineData("/api/products?pageSize=0", "pageSize")]
    [InlineData("/api/products?pageSize=1000000", "pageSize")]
    [InlineData("/api/products?page=0", "page")]
    [InlineData("/api/products?status=gone", "status")]
    public async Task A_bad_route_id_or_query_is_a_400_naming_it(string path, string field)
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        var (status, body, _) = await catalog.GetAsync(path, tokens.AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task SQL_and_pattern_characters_in_a_search_are_plain_text()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        await CatalogApi.NewProductAsync(catalog, tokens.AccessToken, "PLAIN-1");
        await CatalogApi.NewProductAsync(catalog, tokens.AccessToken, "50%_OFF");
        foreach (var (search, expected) in new[] { ("' OR '1'='1", 0), ("%", 1), ("_", 1), ("50%_", 1), (@"\", 0), ("'; DROP TABLE products; --", 0) })
        {
            var (status, body, _) = await catalog.GetAsync($"/api/products?search={Uri.EscapeDataString(search)}", tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(expected == body.GetProperty("total").GetInt64(), $"search {search}: {body}");
        }

        var headers = AuthApi.Bearer(tokens.AccessToken);
        var found = await catalog.Grpc.SearchProductsAsync(new SearchProductsRequest { Query = "%" }, headers);
        Assert.Equal("50%_OFF", Assert.Single(found.Products).Sku);
        Assert.Equal(2, (await catalog.GetAsync("/api/products", tokens.AccessToken)).Body.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Bad_gRPC_requests_are_InvalidArgument_with_a_message()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var (_, tokens) = await auth.RegisterVerifiedAsync();
        var grpc = catalog.Grpc;
        var headers = AuthApi.Bearer(tokens.AccessToken);
        var calls = new (string What, Func<Task> Call)[]
        {
            ("malformed product id", () => grpc.GetProductAsync(new GetProductRequest { Id = "nope" }, headers).ResponseAsync),
            ("malformed supplier id", () => grpc.GetSupplierAsync(new GetSupplierRequest { Id = "123" }, headers).ResponseAsync),
            ("malformed profile id", () => grpc.GetBufferProfileAsync(new GetBufferProfileRequest { Id = "" }, headers).ResponseAsync),
            ("malformed organization id", () => grpc.ListSuppliersAsync(new ListSuppliersRequest { OrganizationId = "x" }, headers).ResponseAsync),
            ("page size too large", () => grpc.ListProductsAsync(new ListProductsRequest { PageSize = 1_000_000 }, headers).ResponseAsync),
            ("negative page", () => grpc.ListProductsAsync(new ListProductsRequest { Page = -1 }, headers).ResponseAsync),
            ("unknown status", () => grpc.ListProductsAsync(new ListProductsRequest { Status = "gone" }, headers).ResponseAsync),
            ("empty search", () => grpc.SearchProductsAsync(new SearchProductsRequest { Query = " " }, headers).ResponseAsync),
            ("over-long search", () => grpc.SearchProductsAsync(new SearchProductsRequest { Query = new string('q', 101) }, headers).ResponseAsync),
        };
        foreach (var (what, call) in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{what}: {error.StatusCode} {error.Status.Detail}");
            Assert.False(string.IsNullOrEmpty(error.Status.Detail), what);
        }
    }
}
