using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Tests.Infrastructure;

using Npgsql;

namespace Giia.Tests.Auth;

/// <summary>The same request many times at once, as a crowd or a retrying client sends it: every answer is a 2xx or a clean 4xx.</summary>
[Collection(GiiaSystem.Name)]
public sealed class ConcurrencyTests(GiiaAppFixture fixture)
{
    private const int Crowd = 24;
    private const int MaxFailures = 5; // Giia:Lockout:MaxFailures (default)
    private static readonly string[] CatalogRead = ["catalog:read"];

    [Fact]
    public async Task Parallel_wrong_passwords_are_all_counted_and_exactly_the_limit_locks_the_pair()
    {
        using var auth = new AuthApi(fixture);
        var (account, _) = await auth.RegisterVerifiedAsync();

        var statuses = await AllAtOnceAsync(30, () => auth.PostAsync("/api/auth/login", new { email = account.Email, password = "wrong password guess" }));

        Assert.DoesNotContain(statuses, s => (int)s >= 500);
        Assert.Equal(MaxFailures, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(30 - MaxFailures, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        using var correct = await auth.PostAsync("/api/auth/login", new { email = account.Email, password = account.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, correct.StatusCode);
        Assert.NotNull(correct.Headers.RetryAfter);
    }

    [Fact]
    public async Task Parallel_correct_logins_of_one_user_all_succeed()
    {
        using var auth = new AuthApi(fixture);
        var (account, _) = await auth.RegisterVerifiedAsync();

        var statuses = await AllAtOnceAsync(Crowd, () => auth.PostAsync("/api/auth/login", new { email = account.Email, password = account.Password }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task Parallel_uses_of_one_refresh_token_end_the_session_with_no_surviving_successor()
    {
        using var auth = new AuthApi(fixture);
        var (account, tokens) = await auth.RegisterVerifiedAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Crowd).Select(async _ =>
        {
            await Task.Yield();
            using var response = await auth.PostAsync("/api/auth/refresh", new { refreshToken = tokens.RefreshToken });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Unauthorized);
        // Whoever won the race holds a successor; the reuse ended the whole session, so none of them refreshes again.
        foreach (var (_, body) in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            var successor = JsonDocument.Parse(body).RootElement.GetProperty("refreshToken").GetString();
            using var again = await auth.PostAsync("/api/auth/refresh", new { refreshToken = successor });
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        }

        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL", account.UserId));
    }

    [Fact]
    public async Task Parallel_registrations_of_one_email_create_one_account_and_answer_alike()
    {
        using var auth = new AuthApi(fixture);
        var email = AuthApi.NewEmail("crowd");

        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = await AllAtOnceAsync(Crowd, async () =>
        {
            var response = await auth.PostAsync("/api/auth/register",
                new { email, password = "correct horse battery", name = "Ana", organizationName = "Crowd" });
            answers.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response;
        });

        // Every answer is the same 201 (an existing address is never revealed, not even to a crowd), and one account exists.
        var seen = string.Join("\n", answers.Where(a => !a.StartsWith("201", StringComparison.Ordinal)));
        Assert.True(statuses.All(s => s == HttpStatusCode.Created), seen);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM users WHERE email = $1", email));
    }

    [Fact]
    public async Task Parallel_assignments_of_one_role_are_idempotent()
    {
        using var auth = new AuthApi(fixture);
        var (_, admin) = await auth.RegisterVerifiedAsync();
        var (member, _) = await auth.InviteAndSignInAsync(admin.AccessToken, "Viewer");
        var roleId = await RoleIdAsync(auth, admin.AccessToken, "Analyst");

        var statuses = await AllAtOnceAsync(Crowd, () => auth.PostAsync($"/api/users/{member}/roles", new { roleId }, admin.AccessToken));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NoContent, s));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM user_roles WHERE user_id = $1 AND role_id = $2", member, roleId));
    }

    [Fact]
    public async Task Parallel_creations_of_one_role_name_give_one_201_and_409s()
    {
        using var auth = new AuthApi(fixture);
        var (account, admin) = await auth.RegisterVerifiedAsync();

        var statuses = await AllAtOnceAsync(Crowd, () => auth.PostAsync("/api/roles",
            new { name = "Planner", level = 5, permissions = CatalogRead }, admin.AccessToken));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(Crowd - 1, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM roles WHERE organization_id = $1 AND name = 'Planner'", account.OrganizationId));
    }

    [Fact]
    public async Task Parallel_deletes_of_one_role_give_one_204_and_404s()
    {
        using var auth = new AuthApi(fixture);
        var (_, admin) = await auth.RegisterVerifiedAsync();
        using var created = await auth.PostAsync("/api/roles", new { name = "Temporary", level = 5, permissions = CatalogRead }, admin.AccessToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var roleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var statuses = await AllAtOnceAsync(Crowd, () => auth.SendAsync(HttpMethod.Delete, $"/api/roles/{roleId}", admin.AccessToken));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.NoContent));
        Assert.Equal(Crowd - 1, statuses.Count(s => s == HttpStatusCode.NotFound));
    }

    /// <summary>Starts <paramref name="count"/> requests together and returns their status codes.</summary>
    internal static async Task<HttpStatusCode[]> AllAtOnceAsync(int count, Func<Task<HttpResponseMessage>> send)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, count).Select(async _ =>
        {
            await start.WaitAsync();
            using var response = await send();
            return response.StatusCode;
        }).ToList();
        start.Release(count);
        return await Task.WhenAll(requests);
    }

    private static async Task<Guid> RoleIdAsync(AuthApi auth, string token, string name)
    {
        using var roles = await auth.GetAsync("/api/roles", token);
        return (await roles.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Single(r => r.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    private async Task<long> ScalarAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }
}
