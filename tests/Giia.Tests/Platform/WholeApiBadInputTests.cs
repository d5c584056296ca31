using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

using Giia.Auth.Grpc.V1;
using Giia.Catalog.Grpc.V1;
using Giia.Data;
using Giia.HttpApi;
using Giia.Tests.Auth;
using Giia.Tests.Catalog;
using Giia.Tests.Infrastructure;

using Grpc.Core;

using Npgsql;

namespace Giia.Tests.Platform;

/// <summary>
/// Every operation of every OpenAPI document (docs/api/openapi) and every gRPC method, fed a corpus of bad input
/// with a valid credential: no 5xx, every 4xx is problem+json, every status is one the document lists for that
/// operation, bad gRPC input is INVALID_ARGUMENT, and nothing in the databases changed.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class WholeApiBadInputTests(GiiaAppFixture fixture)
{
    private static readonly string[] PathValues = ["not-a-uuid", "%00", "00000000-0000-0000-0000-00000000000g", new string('9', 300), Guid.NewGuid().ToString()];

    private static readonly string[] QueryValues =
        ["%00", "-1", "0", "99999999999999999999", "abc", "1e309", "2026-13-45T99:00:00Z", "%FF%FE", new string('q', 3000), "%E2%80%AE"];

    public static TheoryData<string, string, string> Documents => new()
    {
        { "auth", "auth.json", "authdb" },
        { "catalog", "catalog.json", "catalogdb" },
        { "dlq-worker", "dlq-worker.json", "dlqdb" },
        { "ddmrp", "ddmrp.json", "ddmrpdb" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Every_operation_answers_bad_input_with_a_4xx_problem_and_changes_nothing(string service, string document, string database)
    {
        using var auth = new AuthApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var credential = tenant.AdminToken;
        using var client = fixture.CreateHttpClient(service);
        using var openApi = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root(), "docs", "api", "openapi", document)));
        var before = await SnapshotAsync(database);

        var failures = new List<string>();
        var undocumented = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var sent = 0;
        foreach (var (method, template, operation) in Operations(openApi.RootElement))
        {
            foreach (var (path, body) in Variants(openApi.RootElement, template, operation))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = body };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
                request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                using var response = await client.SendAsync(request);
                sent++;
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500 || (status >= 400 && text.Length > 0 && mediaType != "application/problem+json"))
                {
                    failures.Add($"{method} {path} [{Describe(body)}] -> {status} {mediaType}: {text[..Math.Min(text.Length, 300)]}");
                }
                else if (!Lists(operation, status))
                {
                    undocumented.TryAdd($"{method} {template} -> {status}", $"e.g. {Short(path)} [{Describe(body)}]");
                }

                body?.Dispose();
            }
        }

        Assert.True(sent > 50, $"only {sent} requests sent: is the document empty?");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} answers were wrong:\n{string.Join('\n', failures.Take(40))}");
        // A client generated from the document knows only the statuses it lists; any other answer would surprise it.
        Assert.True(undocumented.Count == 0,
            $"{undocumented.Count} (operation, status) answers are missing from {document}:\n{string.Join('\n', undocumented.Take(60).Select(u => $"{u.Key} ({u.Value})"))}");
        Assert.Equal(before, await SnapshotAsync(database));
    }

    /// <summary>
    /// The request schemas are no looser than the validation: each documented example, with one field made to break
    /// one documented rule (required, maxLength, minLength, maxItems, minItems, minimum, maximum, exclusiveMinimum, enum, format email), is
    /// refused (a 400 validation problem names that field; a check that comes first, such as a reset token's, may
    /// refuse it with another 4xx), and nothing changes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Every_documented_request_rule_is_enforced(string service, string document, string database)
    {
        using var auth = new AuthApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        using var client = fixture.CreateHttpClient(service);
        using var openApi = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root(), "docs", "api", "openapi", document)));
        var before = await SnapshotAsync(database);
        var wrong = new List<string>();
        var checkedRules = 0;
        foreach (var (method, template, operation) in Operations(openApi.RootElement))
        {
            if (BodySchema(openApi.RootElement, operation) is not { } schema || !schema.TryGetProperty("examples", out var examples))
            {
                continue;
            }

            var path = Fill(template, RouteNames(operation).ToDictionary(n => n, _ => Guid.NewGuid().ToString()));
            foreach (var (field, rule, body) in RuleBreakers(schema, examples[0]))
            {
                checkedRules++;
                var (status, text) = await SendJsonAsync(client, method, path, body, tenant.AdminToken);
                using var problem = status == 400 ? JsonDocument.Parse(text) : null;
                var fieldErrors = problem is not null && problem.RootElement.TryGetProperty("errors", out var errors) ? errors : (JsonElement?)null;
                if (status is < 400 or >= 500 || fieldErrors is { } named && !named.TryGetProperty(field, out _))
                {
                    wrong.Add($"{method} {template} {field} ({rule}) -> {status}: {text[..Math.Min(text.Length, 200)]}");
                }
            }
        }

        Assert.True(checkedRules > 0, $"no documented rules found in {document}: are the examples missing?");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {checkedRules} documented rules were not enforced:\n{string.Join('\n', wrong.Take(40))}");
        Assert.Equal(before, await SnapshotAsync(database));
    }

    /// <summary>The example with one field breaking one of its schema's rules, for each rule the schema states.</summary>
    private static IEnumerable<(string Field, string Rule, string Body)> RuleBreakers(JsonElement schema, JsonElement example)
    {
        var required = schema.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];
        foreach (var property in schema.GetProperty("properties").EnumerateObject())
        {
            var field = property.Name;
            var rules = property.Value;
            if (required.Contains(field))
            {
                yield return (field, "required", With(example, field, null));
            }

            if (rules.TryGetProperty("maxLength", out var max))
            {
                yield return (field, "maxLength", With(example, field, JsonSerializer.Serialize(new string('x', max.GetInt32() + 1))));
            }

            if (rules.TryGetProperty("maxItems", out var maxItems))
            {
                // One item more than allowed, each a copy of the example's first (so the items themselves are valid).
                var item = example.TryGetProperty(field, out var items) && items.GetArrayLength() > 0 ? items[0].GetRawText() : "{}";
                yield return (field, "maxItems", With(example, field, $"[{string.Join(',', Enumerable.Repeat(item, maxItems.GetInt32() + 1))}]"));
            }

            if (rules.TryGetProperty("minItems", out var minItems) && minItems.GetInt32() > 0)
            {
                yield return (field, "minItems", With(example, field, "[]"));
            }

            if (rules.TryGetProperty("minLength", out var min) && min.GetInt32() > 0)
            {
                yield return (field, "minLength", With(example, field, JsonSerializer.Serialize(new string('x', min.GetInt32() - 1))));
            }

            if (rules.TryGetProperty("minimum", out var minimum))
            {
                yield return (field, "minimum", With(example, field, (minimum.GetDecimal() - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            if (rules.TryGetProperty("exclusiveMinimum", out var exclusive))
            {
                yield return (field, "exclusiveMinimum", With(example, field, exclusive.GetRawText()));
            }

            if (rules.TryGetProperty("maximum", out var maximum) && maximum.GetDecimal() < int.MaxValue)
            {
                yield return (field, "maximum", With(example, field, (maximum.GetDecimal() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            if (rules.TryGetProperty("enum", out _))
            {
                yield return (field, "enum", With(example, field, "\"not-one-of-them\""));
            }

            if (rules.TryGetProperty("format", out var format) && format.GetString() == "email")
            {
                yield return (field, "format email", With(example, field, "\"not-an-email\""));
            }
        }
    }

    /// <summary>The example as JSON with <paramref name="field"/> set to the raw JSON value, or left out when null.</summary>
    private static string With(JsonElement example, string field, string? rawValue)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(example.GetRawText())!.AsObject();
        node.Remove(field);
        if (rawValue is not null)
        {
            node[field] = System.Text.Json.Nodes.JsonNode.Parse(rawValue);
        }

        return node.ToJsonString();
    }

    /// <summary>Sends a JSON body; a 429 (Auth's per-address limit, shared with the other tests) is waited out once.</summary>
    private static async Task<(int Status, string Text)> SendJsonAsync(HttpClient client, string method, string path, string body, string token)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = Json(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.TryAddWithoutValidation("If-Match", "*");
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt > 0)
            {
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }

            await Task.Delay((response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(30)) + TimeSpan.FromSeconds(1));
        }
    }

    private static IEnumerable<string> RouteNames(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var list)
            ? list.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!)
            : [];

    [Fact]
    public async Task Every_catalog_grpc_method_answers_bad_input_with_invalid_argument()
    {
        using var auth = new AuthApi(fixture);
        using var catalog = new CatalogApi(fixture);
        var tenant = await Tenant.CreateAsync(auth);
        var bearer = AuthApi.Bearer(tenant.AdminToken);
        var grpc = catalog.Grpc;
        var huge = new string('x', 30_000); // under the 64 KiB message limit, so the field itself is judged
        string[] badIds = ["", "not-a-uuid", "\0", huge];
        var calls = new List<(string Name, Func<Task> Call)>();
        foreach (var id in badIds)
        {
            calls.Add(($"GetProduct({Short(id)})", () => grpc.GetProductAsync(new GetProductRequest { Id = id }, bearer).ResponseAsync));
            calls.Add(($"GetSupplier({Short(id)})", () => grpc.GetSupplierAsync(new GetSupplierRequest { Id = id }, bearer).ResponseAsync));
            calls.Add(($"GetBufferProfile({Short(id)})", () => grpc.GetBufferProfileAsync(new GetBufferProfileRequest { Id = id }, bearer).ResponseAsync));
        }

        foreach (var text in new[] { "\0", huge, "ACTIVE", "1" })
        {
            calls.Add(($"ListProducts(status {Short(text)})", () => grpc.ListProductsAsync(new ListProductsRequest { Status = text }, bearer).ResponseAsync));
            calls.Add(($"ListSuppliers(status {Short(text)})", () => grpc.ListSuppliersAsync(new ListSuppliersRequest { Status = text }, bearer).ResponseAsync));
        }

        foreach (var text in new[] { "\0", huge, "" })
        {
            calls.Add(($"SearchProducts(query {Short(text)})", () => grpc.SearchProductsAsync(new SearchProductsRequest { Query = text }, bearer).ResponseAsync));
        }

        calls.Add(("ListBufferProfiles(organization NUL)", () => grpc.ListBufferProfilesAsync(new ListBufferProfilesRequest { OrganizationId = "\0" }, bearer).ResponseAsync));
        calls.Add(("SearchProducts(category NUL)", () => grpc.SearchProductsAsync(new SearchProductsRequest { Query = "bolt", Category = "\0" }, bearer).ResponseAsync));
        foreach (var (page, size) in new[] { (-1, 20), (1, -5), (1, 1000), (int.MaxValue, 100) })
        {
            calls.Add(($"ListProducts(page {page}, size {size})", () => grpc.ListProductsAsync(new ListProductsRequest { Page = page, PageSize = size }, bearer).ResponseAsync));
        }

        await AssertInvalidArgumentAsync(calls);
    }

    [Fact]
    public async Task Every_auth_grpc_method_answers_bad_input_with_invalid_argument()
    {
        using var auth = new AuthApi(fixture);
        var (account, tokens) = await auth.RegisterVerifiedAsync();
        using var channel = fixture.CreateGrpcChannel("auth");
        var grpc = new AuthService.AuthServiceClient(channel);
        var bearer = AuthApi.Bearer(tokens.AccessToken);
        var user = account.UserId.ToString();
        var org = account.OrganizationId.ToString();
        var huge = new string('x', 30_000); // under the 64 KiB message limit, so the field itself is judged
        var calls = new List<(string Name, Func<Task> Call)>();
        foreach (var bad in new[] { "not-a-uuid", "\0", huge })
        {
            calls.Add(($"CheckPermission(user {Short(bad)})", () => grpc.CheckPermissionAsync(new CheckPermissionRequest { UserId = bad, Permission = "catalog:read", OrganizationId = org }, bearer).ResponseAsync));
            calls.Add(($"GetUser(user {Short(bad)})", () => grpc.GetUserAsync(new GetUserRequest { UserId = bad, OrganizationId = org }, bearer).ResponseAsync));
            calls.Add(($"BatchCheckPermissions(user {Short(bad)})", () => grpc.BatchCheckPermissionsAsync(new BatchCheckPermissionsRequest { UserId = bad, Permissions = { "catalog:read" }, OrganizationId = org }, bearer).ResponseAsync));
        }

        foreach (var permission in new[] { "", "\0:\0", "catalog", huge, "a:b:c" })
        {
            calls.Add(($"CheckPermission(permission {Short(permission)})", () => grpc.CheckPermissionAsync(new CheckPermissionRequest { UserId = user, Permission = permission, OrganizationId = org }, bearer).ResponseAsync));
            calls.Add(($"BatchCheckPermissions(permission {Short(permission)})", () => grpc.BatchCheckPermissionsAsync(new BatchCheckPermissionsRequest { UserId = user, Permissions = { permission }, OrganizationId = org }, bearer).ResponseAsync));
        }

        calls.Add(("BatchCheckPermissions(none)", () => grpc.BatchCheckPermissionsAsync(new BatchCheckPermissionsRequest { UserId = user, OrganizationId = org }, bearer).ResponseAsync));
        calls.Add(("BatchCheckPermissions(101)", () => grpc.BatchCheckPermissionsAsync(new BatchCheckPermissionsRequest
        {
            UserId = user,
            OrganizationId = org,
            Permissions = { Enumerable.Range(0, 101).Select(i => $"p{i}:read") },
        }, bearer).ResponseAsync));
        calls.Add(("CheckPermission(organization NUL)", () => grpc.CheckPermissionAsync(new CheckPermissionRequest { UserId = user, Permission = "catalog:read", OrganizationId = "\0" }, bearer).ResponseAsync));
        await AssertInvalidArgumentAsync(calls);

        // A token that is not a token is an answer (valid = false), not an error.
        foreach (var token in new[] { "", "\0", huge, "a.b.c" })
        {
            var reply = await grpc.ValidateTokenAsync(new ValidateTokenRequest { Token = token });
            Assert.False(reply.Valid);
        }
    }

    private static async Task AssertInvalidArgumentAsync(List<(string Name, Func<Task> Call)> calls)
    {
        var wrong = new List<string>();
        foreach (var (name, call) in calls)
        {
            try
            {
                await call();
                wrong.Add($"{name}: succeeded");
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Status.Detail), $"{name}: INVALID_ARGUMENT without a message");
            }
            catch (RpcException ex)
            {
                wrong.Add($"{name}: {ex.StatusCode} {ex.Status.Detail}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    /// <summary>Whether the operation's responses list the status, exactly or as its class (<c>4XX</c>) or <c>default</c>.</summary>
    private static bool Lists(JsonElement operation, int status)
    {
        var responses = operation.GetProperty("responses");
        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return responses.TryGetProperty(code, out _) || responses.TryGetProperty($"{code[0]}XX", out _) || responses.TryGetProperty("default", out _);
    }

    private static IEnumerable<(string Method, string Template, JsonElement Operation)> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                yield return (operation.Name.ToUpperInvariant(), path.Name, operation.Value);
            }
        }
    }

    /// <summary>The bad requests for one operation: bad route values, bad query values, bad bodies.</summary>
    private static IEnumerable<(string Path, HttpContent? Body)> Variants(JsonElement document, string template, JsonElement operation)
    {
        var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
        var routeNames = parameters.Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToList();
        var valid = Fill(template, routeNames.ToDictionary(n => n, _ => Guid.NewGuid().ToString()));
        var schema = BodySchema(document, operation);

        foreach (var name in routeNames)
        {
            foreach (var value in PathValues)
            {
                var values = routeNames.ToDictionary(n => n, n => n == name ? value : Guid.NewGuid().ToString());
                yield return (Fill(template, values), schema is null ? null : Json("{}"));
            }
        }

        foreach (var query in parameters.Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!))
        {
            foreach (var value in QueryValues)
            {
                yield return ($"{valid}?{query}={value}", null);
            }
        }

        if (schema is not { } body)
        {
            yield break;
        }

        foreach (var raw in new[] { "{", "[]", "\"text\"", "12", "null", "", "{\"a\":1,\"a\":2}", new string('[', 5000) + new string(']', 5000) })
        {
            yield return (valid, Json(raw));
        }

        yield return (valid, new StringContent("{}", Encoding.UTF8, "text/plain"));
        yield return (valid, new ByteArrayContent([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]) { Headers = { ContentType = new("application/json") } });
        var properties = body.TryGetProperty("properties", out var props) ? props.EnumerateObject().Select(p => p.Name).ToList() : [];
        foreach (var property in properties)
        {
            // Every value is wrong for any field (no valid string among them), so no variant may change anything.
            string[] values = ["true", "{}", "[1]", "\"\\u0000\"", $"\"{new string('z', 12_000)}\"", "-1e400", "\"\\ud800\\u0001\""];
            foreach (var value in values)
            {
                yield return (valid, Json($"{{\"{property}\":{value}}}"));
            }

            yield return (valid, Json($"{{\"{property}\":12,\"{property}\":\"\\u0000\"}}"));
        }
    }

    private static JsonElement? BodySchema(JsonElement document, JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var requestBody)
            || !requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
        {
            return null;
        }

        var schema = json.GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    private static string Fill(string template, Dictionary<string, string> values) =>
        values.Aggregate(template, (path, value) => path.Replace($"{{{value.Key}}}", value.Value, StringComparison.Ordinal));

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Describe(HttpContent? body) => body switch
    {
        null => "no body",
        StringContent s => Short(s.ReadAsStringAsync().GetAwaiter().GetResult()),
        _ => body.Headers.ContentType?.ToString() ?? "bytes",
    };

    private static string Short(string text) => text.Length > 40 ? $"{text[..20]}…({text.Length})" : text.Replace("\0", "\\0", StringComparison.Ordinal);

    /// <summary>What the API could change, as one comparable string (tests in the collection run one at a time).</summary>
    private async Task<string> SnapshotAsync(string database)
    {
        var sql = database switch
        {
            "authdb" => """
                SELECT concat_ws(',', (SELECT count(*) FROM organizations), (SELECT count(*) FROM users),
                    (SELECT count(*) FROM users WHERE status = 'Active'), (SELECT count(*) FROM roles), (SELECT count(*) FROM user_roles),
                    (SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL), (SELECT max(updated_at)::text FROM users))
                """,
            "catalogdb" => """
                SELECT concat_ws(',', (SELECT count(*) FROM products), (SELECT count(*) FROM suppliers), (SELECT count(*) FROM buffer_profiles),
                    (SELECT count(*) FROM product_suppliers), (SELECT max(updated_at)::text FROM products))
                """,
            // The demo organization's rows are the buffer engine's own demo seeding, which may still run: left out (the
            // outbox has no organization column; events are written only with a calculation, which is counted).
            "ddmrpdb" => """
                SELECT concat_ws(',', (SELECT count(*) FROM daily_quantities WHERE organization_id <> @demo),
                    (SELECT count(*) FROM on_hand_positions WHERE organization_id <> @demo), (SELECT count(*) FROM open_lines WHERE organization_id <> @demo),
                    (SELECT count(*) FROM buffer_calculations WHERE organization_id <> @demo), (SELECT count(*) FROM buffers WHERE organization_id <> @demo),
                    (SELECT max(updated_at)::text FROM daily_quantities WHERE organization_id <> @demo),
                    (SELECT max(updated_at)::text FROM on_hand_positions WHERE organization_id <> @demo),
                    (SELECT max(updated_at)::text FROM open_lines WHERE organization_id <> @demo))
                """,
            _ => "SELECT concat_ws(',', (SELECT count(*) FROM dead_letters WHERE status IN ('Replayed', 'Discarded')), (SELECT max(resolved_at)::text FROM dead_letters))",
        };
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("demo", DemoDataOptions.OrganizationId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
