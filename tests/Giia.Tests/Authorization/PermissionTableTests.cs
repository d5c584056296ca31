using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

using Giia.Catalog.Grpc.V1;
using Giia.Tests.Auth;
using Giia.Tests.Infrastructure;

using Grpc.Core;

namespace Giia.Tests.Authorization;

/// <summary>
/// Walks the README's "Permissions by endpoint" table: for every permission, a user holding that one permission alone
/// gets through every row that names it and 403 / PermissionDenied on every other row.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed partial class PermissionTableTests(GiiaAppFixture fixture)
{
    private sealed record Row(string Service, string Endpoint, string Permission);

    [Fact]
    public async Task Every_row_of_the_readme_table_admits_its_permission_alone_and_refuses_the_others()
    {
        var rows = ReadmeRows();
        Assert.True(rows.Count >= 40, $"the README table has only {rows.Count} checkable rows");
        using var auth = new AuthApi(fixture);
        var rbac = new RbacApi(auth);
        var (admin, adminTokens) = await auth.RegisterVerifiedAsync();
        var (probe, probeTokens) = await auth.InviteAndSignInAsync(adminTokens.AccessToken, "Viewer");
        Assert.Equal(HttpStatusCode.NoContent, await rbac.RevokeAsync(adminTokens.AccessToken, probe, await rbac.RoleIdAsync(adminTokens.AccessToken, "Viewer")));

        var clients = new Dictionary<string, HttpClient>
        {
            ["auth"] = auth.Http,
            ["catalog"] = fixture.CreateHttpClient("catalog"),
            ["dlq-worker"] = fixture.CreateHttpClient("dlq-worker"),
            ["ddmrp"] = fixture.CreateHttpClient("ddmrp"),
        };
        using var catalogChannel = fixture.CreateGrpcChannel("catalog");
        var catalogGrpc = new CatalogService.CatalogServiceClient(catalogChannel);
        var failures = new List<string>();
        foreach (var permission in rows.Select(r => r.Permission).Distinct())
        {
            var role = await rbac.CreateRoleAsync(adminTokens.AccessToken, $"only {permission}", 5, permission);
            Assert.Equal(HttpStatusCode.NoContent, await rbac.AssignAsync(adminTokens.AccessToken, probe, role));
            // Other services reuse Auth's answer for up to a second (Giia:AuthClient:DecisionCacheDuration).
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            foreach (var row in rows)
            {
                var expected = row.Permission == permission;
                var passed = row.Endpoint.Contains('/', StringComparison.Ordinal) && row.Endpoint.Contains(' ', StringComparison.Ordinal)
                    ? await RestPassesAsync(clients[row.Service], row.Endpoint, probeTokens.AccessToken)
                    : await GrpcPassesAsync(catalogGrpc, row.Endpoint, probeTokens.AccessToken);
                if (passed != expected)
                {
                    failures.Add($"{row.Service} {row.Endpoint} with only {permission}: {(passed ? "got through" : "was refused")}");
                }
            }

            Assert.Equal(HttpStatusCode.NoContent, await rbac.RevokeAsync(adminTokens.AccessToken, probe, role));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.NotEqual(Guid.Empty, admin.OrganizationId);
        clients["catalog"].Dispose();
        clients["dlq-worker"].Dispose();
        clients["ddmrp"].Dispose();
    }

    /// <summary>Through = anything but 401/403 (a random id's 404, an empty body's 400 are past authorization).</summary>
    private static async Task<bool> RestPassesAsync(HttpClient client, string endpoint, string token)
    {
        var (method, path) = (endpoint.Split(' ')[0], Placeholder().Replace(endpoint.Split(' ')[1], _ => Guid.NewGuid().ToString()));
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, $"{endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode != HttpStatusCode.Forbidden;
    }

    private static async Task<bool> GrpcPassesAsync(CatalogService.CatalogServiceClient catalog, string endpoint, string token)
    {
        var headers = AuthApi.Bearer(token);
        var id = Guid.NewGuid().ToString();
        try
        {
            Task call = endpoint.Split('/')[^1] switch
            {
                "GetProduct" => catalog.GetProductAsync(new GetProductRequest { Id = id }, headers).ResponseAsync,
                "ListProducts" => catalog.ListProductsAsync(new ListProductsRequest(), headers).ResponseAsync,
                "SearchProducts" => catalog.SearchProductsAsync(new SearchProductsRequest { Query = "bolt" }, headers).ResponseAsync,
                "GetSupplier" => catalog.GetSupplierAsync(new GetSupplierRequest { Id = id }, headers).ResponseAsync,
                "ListSuppliers" => catalog.ListSuppliersAsync(new ListSuppliersRequest(), headers).ResponseAsync,
                "GetBufferProfile" => catalog.GetBufferProfileAsync(new GetBufferProfileRequest { Id = id }, headers).ResponseAsync,
                "ListBufferProfiles" => catalog.ListBufferProfilesAsync(new ListBufferProfilesRequest(), headers).ResponseAsync,
                var other => throw new InvalidOperationException($"the README names an RPC this test does not know: {other}"),
            };
            await call;
            return true;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
        {
            Assert.Contains("permission", ex.Status.Detail, StringComparison.Ordinal);
            return false;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return true;
        }
    }

    /// <summary>The rows whose permission is a single <c>resource:action</c> (the others are covered by their own tests).</summary>
    private static List<Row> ReadmeRows()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryPaths.Root(), "README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith("**Permissions by endpoint**", StringComparison.Ordinal));
        Assert.True(start >= 0, "README has no 'Permissions by endpoint' table");
        return readme.Skip(start).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length == 5 && PermissionCell().IsMatch(cells[3]))
            .Select(cells => new Row(cells[1], cells[2].Trim('`'), cells[3].Trim('`')))
            .ToList();
    }

    [GeneratedRegex(@"\{[A-Za-z]+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^`[a-z]+:[a-z]+`$")]
    private static partial Regex PermissionCell();
}
