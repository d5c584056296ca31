using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Giia.Events;
using Giia.Tests.Events;
using Giia.Tests.Infrastructure;

using NATS.Client.Core;
using NATS.Client.JetStream;

using Npgsql;

namespace Giia.Tests.Auth;

/// <summary>The whole account lifecycle through the AppHost: sign-up to sign-out, with the mail captured from the pickup folder.</summary>
[Collection(GiiaSystem.Name)]
public sealed class AccountLifecycleTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task Register_verify_login_refresh_reuse_change_password_logout()
    {
        using var auth = new AuthApi(fixture);
        var account = await auth.RegisterAsync();

        // Not verified yet: the right password gets no tokens, and the very answer of a wrong one (else signing up and
        // signing in would tell a new address from one that already has an account).
        using (var early = await auth.PostAsync("/api/auth/login", new { email = account.Email, password = account.Password }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, early.StatusCode);
            Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        }

        await auth.VerifyFromMailAsync(account.Email);
        var first = await auth.LoginAsync(account.Email, account.Password);

        using (var me = await auth.GetAsync("/api/users/me", first.AccessToken))
        {
            Assert.True(me.StatusCode == HttpStatusCode.OK, await me.Content.ReadAsStringAsync());
            var body = await me.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(account.Email, body.GetProperty("email").GetString());
            Assert.Equal("active", body.GetProperty("status").GetString());
            Assert.Equal(["Admin"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }

        // Rotation: the refresh token works once; presenting it again ends the whole session.
        AuthApi.Tokens second;
        using (var refreshed = await auth.PostAsync("/api/auth/refresh", new { refreshToken = first.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            second = await AuthApi.TokensOf(refreshed);
        }

        using (var reused = await auth.PostAsync("/api/auth/refresh", new { refreshToken = first.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        }

        using (var revoked = await auth.PostAsync("/api/auth/refresh", new { refreshToken = second.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        }

        Assert.Equal(1, await CountAuditAsync(account.UserId, "token.refresh_reuse"));

        // Change password: the current one is required; afterwards the old one no longer signs in.
        var session = await auth.LoginAsync(account.Email, account.Password);
        var other = await auth.LoginAsync(account.Email, account.Password);
        using (var wrong = await auth.PostAsync("/api/auth/change-password",
            new { currentPassword = "not the password", newPassword = "a brand new passphrase" }, session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var changed = await auth.PostAsync("/api/auth/change-password",
            new { currentPassword = account.Password, newPassword = "a brand new passphrase" }, session.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        using (var oldPassword = await auth.PostAsync("/api/auth/login", new { email = account.Email, password = account.Password }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        }

        // The other session ended; the one that changed the password goes on.
        using (var otherRefresh = await auth.PostAsync("/api/auth/refresh", new { refreshToken = other.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, otherRefresh.StatusCode);
        }

        AuthApi.Tokens current;
        using (var sameRefresh = await auth.PostAsync("/api/auth/refresh", new { refreshToken = session.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.OK, sameRefresh.StatusCode);
            current = await AuthApi.TokensOf(sameRefresh);
        }

        using (var logout = await auth.PostAsync("/api/auth/logout", new { refreshToken = current.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using (var afterLogout = await auth.PostAsync("/api/auth/refresh", new { refreshToken = current.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
        }

        await auth.LoginAsync(account.Email, "a brand new passphrase");
        Assert.True(await CountAuditAsync(account.UserId, "user.login") >= 4);
        Assert.Equal(1, await CountAuditAsync(account.UserId, "user.password_change", "success"));

        // The lifecycle's events are in AUTH_EVENTS with the spec's fields.
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var jetStream = new NatsJSContext(nats);
        foreach (var (subject, field) in new[] { ("auth.user.registered", "email"), ("auth.user.verified", "verified_at"), ("auth.user.password_changed", "changed_at") })
        {
            var events = await Eventually.UntilAsync(async () => (await EventWire.ReadAllAsync(jetStream, EventStreams.Auth, subject))
                    .Select(EventWire.Parse).Where(e => e.Data.GetProperty("user_id").GetGuid() == account.UserId).ToList(),
                found => found.Count > 0, TimeSpan.FromSeconds(30), $"{subject} for {account.UserId}");
            Assert.Single(events);
            Assert.True(events[0].Data.TryGetProperty(field, out _), $"{subject} lacks {field}");
            Assert.Equal(account.OrganizationId, events[0].OrganizationId);
        }
    }

    [Fact]
    public async Task Forgot_password_mails_a_reset_link_only_for_existing_accounts_and_the_link_works_once()
    {
        using var auth = new AuthApi(fixture);
        var (account, _) = await auth.RegisterVerifiedAsync();
        var nobody = AuthApi.NewEmail("nobody");

        using (var unknown = await auth.PostAsync("/api/auth/forgot-password", new { email = nobody }))
        {
            Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        }

        using (var known = await auth.PostAsync("/api/auth/forgot-password", new { email = account.Email }))
        {
            Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        }

        var token = await auth.TokenFromMailAsync(account.Email, "reset-password");
        using (var reset = await auth.PostAsync("/api/auth/reset-password", new { token, newPassword = "another fine passphrase" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        using (var again = await auth.PostAsync("/api/auth/reset-password", new { token, newPassword = "yet another passphrase" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        }

        await auth.LoginAsync(account.Email, "another fine passphrase");
        Assert.Empty(auth.MailTokens(nobody, "reset-password"));
    }

    [Fact]
    public async Task Registering_an_existing_email_answers_as_a_new_one_and_tells_the_owner()
    {
        using var auth = new AuthApi(fixture);
        var (owner, _) = await auth.RegisterVerifiedAsync();
        var fresh = AuthApi.NewEmail("fresh");

        using var again = await auth.PostAsync("/api/auth/register",
            new { email = owner.Email.ToUpperInvariant(), password = "a different passphrase", name = "Copy", organizationName = "Other" });
        using var brandNew = await auth.PostAsync("/api/auth/register",
            new { email = fresh.ToUpperInvariant(), password = "a different passphrase", name = "Copy", organizationName = "Other" });

        // Same status, same headers that matter, same body shape: nothing tells the two apart.
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(brandNew.StatusCode, again.StatusCode);
        Assert.Equal(brandNew.Content.Headers.ContentType?.MediaType, again.Content.Headers.ContentType?.MediaType);
        var existing = await again.Content.ReadFromJsonAsync<JsonElement>();
        var created = await brandNew.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(created.EnumerateObject().Select(p => p.Name), existing.EnumerateObject().Select(p => p.Name));
        Assert.Equal("pending", existing.GetProperty("status").GetString());
        Assert.Equal(owner.Email, existing.GetProperty("email").GetString());
        Assert.NotEqual(owner.UserId, existing.GetProperty("userId").GetGuid());
        Assert.NotEqual(owner.OrganizationId, existing.GetProperty("organizationId").GetGuid());
        Assert.StartsWith("/api/users/", again.Headers.Location?.ToString(), StringComparison.Ordinal);

        // Signing in with the password just "registered" answers alike too (the existing account's password differs;
        // the new account is unverified).
        using (var ownerTry = await auth.PostAsync("/api/auth/login", new { email = owner.Email, password = "a different passphrase" }))
        using (var freshTry = await auth.PostAsync("/api/auth/login", new { email = fresh, password = "a different passphrase" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, ownerTry.StatusCode);
            Assert.Equal(freshTry.StatusCode, ownerTry.StatusCode);
            var ownerProblem = await ownerTry.Content.ReadFromJsonAsync<JsonElement>();
            var freshProblem = await freshTry.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(freshProblem.GetProperty("title").GetString(), ownerProblem.GetProperty("title").GetString());
            Assert.Equal(freshProblem.GetProperty("detail").GetString(), ownerProblem.GetProperty("detail").GetString());
        }

        // The owner is told by mail; the account, its password and its organization are untouched.
        await Eventually.UntilAsync(() => Task.FromResult(MailSubjects(owner.Email)),
            subjects => subjects.Contains("Subject: Someone tried to register with your address"), TimeSpan.FromSeconds(60),
            $"the registration-attempt mail to {owner.Email}");
        await auth.LoginAsync(owner.Email, owner.Password);
        Assert.Equal(1L, await CountAuditAsync(owner.UserId, "user.register", "denied"));
    }

    private IReadOnlyList<string> MailSubjects(string email) => !Directory.Exists(fixture.MailDirectory)
        ? []
        : Directory.GetFiles(fixture.MailDirectory, "*.eml").Select(File.ReadAllText)
            .Where(text => text.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase))
            .SelectMany(text => text.Split('\n').Where(line => line.StartsWith("Subject:", StringComparison.Ordinal)).Select(line => line.Trim()))
            .ToList();

    private async Task<long> CountAuditAsync(Guid userId, string action, string? result = null)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM audit_logs WHERE user_id = $1 AND action = $2 AND ($3::text IS NULL OR result = $3)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = action });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)result ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
