using Giia.ApiClients.Auth;
using Giia.ApiClients.Catalog;
using Giia.ApiClients.Catalog.Models;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

using AuthModels = Giia.ApiClients.Auth.Models;

namespace Giia.Tests.Clients;

/// <summary>
/// A consumer's path through the generated clients only (no hand-written HTTP): sign up, verify, sign in, build a small
/// catalog, list it, change it with If-Match, and read a refusal as the typed problem the document promises.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class KiotaClientTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task A_generated_client_signs_up_builds_a_catalog_and_reads_a_typed_problem()
    {
        using var authHttp = HttpClientFor("auth");
        var auth = new AuthClient(Adapter(authHttp));
        var email = AuthApi.NewEmail("kiota");
        const string password = "correct horse battery";
        var registered = await auth.Api.Auth.Register.PostAsync(new AuthModels.RegisterRequest
        {
            Email = email,
            Password = password,
            Name = "Kiota Consumer",
            OrganizationName = "Generated Clients Ltd",
        });
        Assert.Equal("pending", registered!.Status);

        using var mail = new AuthApi(fixture); // only to read the verification mail, as a person would
        var verified = await auth.Api.Auth.VerifyEmail.PostAsync(new AuthModels.TokenRequest { Token = await mail.TokenFromMailAsync(email, "verify-email") });
        Assert.Equal("active", verified!.Status);
        var tokens = await auth.Api.Auth.Login.PostAsync(new AuthModels.LoginRequest { Email = email, Password = password });
        Assert.False(string.IsNullOrEmpty(tokens!.AccessToken));

        using var catalogHttp = HttpClientFor("catalog");
        catalogHttp.DefaultRequestHeaders.Authorization = new("Bearer", tokens.AccessToken);
        var catalog = new CatalogClient(Adapter(catalogHttp));
        var supplier = await Answered(() => catalog.Api.Suppliers.PostAsync(new SupplierRequest
        {
            Code = "ACME",
            Name = "Acme Fasteners",
            ContactEmail = "orders@acme.example",
            DefaultLeadTimeDays = 12,
            Status = SupplierRequest_status.Active,
        }));
        var profile = await catalog.Api.BufferProfiles.PostAsync(new BufferProfileRequest
        {
            Name = "Fast movers",
            AduMethod = BufferProfileRequest_aduMethod.Average,
            LeadTimeFactor = 0.5,
            VariabilityFactor = 0.25,
        });
        var product = await catalog.Api.Products.PostAsync(new ProductRequest
        {
            Sku = "BOLT-M8",
            Name = "Hex bolt M8",
            UnitOfMeasure = "each",
            StandardCost = 0.12,
            BufferProfileId = profile!.Id,
        });
        Assert.Equal("active", supplier!.Status);
        Assert.Equal("average", profile.AduMethod);
        Assert.Equal(profile.Id, product!.BufferProfileId);

        var listed = await catalog.Api.Products.GetAsync(request => request.QueryParameters.Search = "bolt-m8");
        Assert.Equal(product.Id, Assert.Single(listed!.Items!).Id);
        Assert.Equal(1, listed.Total);

        var changed = new ProductRequest
        {
            Sku = "BOLT-M8",
            Name = "Hex bolt M8, zinc-plated",
            UnitOfMeasure = "each",
            StandardCost = 0.14,
            BufferProfileId = profile.Id,
        };
        var item = catalog.Api.Products[product.Id!.Value.ToString()];
        var updated = await item.PutAsync(changed, request => request.Headers.Add("If-Match", product.ETag!));
        Assert.Equal("Hex bolt M8, zinc-plated", updated!.Name);
        Assert.NotEqual(product.ETag, updated.ETag);

        // The first version's ETag is stale now: the client raises the document's problem type, status and all.
        var stale = await Assert.ThrowsAsync<ProblemDetails>(() => item.PutAsync(changed, request => request.Headers.Add("If-Match", product.ETag!)));
        Assert.Equal(412, stale.ResponseStatusCode);
        Assert.Equal(412, stale.Status);
        Assert.Equal("Changed since you read it", stale.Title);

        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => catalog.Api.Suppliers.PostAsync(new SupplierRequest
        {
            Code = "ACME-2",
            Name = "Acme again",
            DefaultLeadTimeDays = 99_999,
        }));
        Assert.Equal(400, invalid.ResponseStatusCode);
        Assert.True(invalid.Errors!.AdditionalData.ContainsKey("defaultLeadTimeDays"), "the validation problem names the field");
        Assert.Equal(product.Id, (await item.GetAsync())!.Id);
    }

    /// <summary>The call's result; a problem fails the test with its status, title and detail (the exception's message says none).</summary>
    private static async Task<T> Answered<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ProblemDetails problem)
        {
            Assert.Fail($"{problem.ResponseStatusCode} {problem.Title}: {problem.Detail}");
            throw;
        }
    }

    /// <summary>
    /// An HttpClient as Kiota builds it for consumers, with its default handlers: among them the retry of a 503 or 429
    /// after its Retry-After, which the documents promise (a cold service's first permission check may answer 503).
    /// </summary>
    private HttpClient HttpClientFor(string service)
    {
        var http = KiotaClientFactory.Create();
        http.BaseAddress = fixture.App.GetEndpoint(service, "http");
        return http;
    }

    private static HttpClientRequestAdapter Adapter(HttpClient http) =>
        new(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
}
