using System.Net;

using Giia.Tests.Infrastructure;

using Npgsql;

namespace Giia.Tests.Auth;

/// <summary>
/// One transaction per change: a change whose last step fails (its audit record, injected here by a trigger that
/// refuses it) leaves nothing of itself behind: not the new password, not the ended sessions, not the event.
/// </summary>
[Collection(GiiaSystem.Name)]
public sealed class TransactionTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task A_password_change_whose_audit_record_fails_changes_nothing()
    {
        using var auth = new AuthApi(fixture);
        var (account, current) = await auth.RegisterVerifiedAsync();
        var other = await auth.LoginAsync(account.Email, account.Password);
        var trigger = $"fail_audit_{account.UserId:N}";
        var startedAt = DateTimeOffset.UtcNow;
        await ExecuteAsync($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT ON audit_logs FOR EACH ROW
                WHEN (NEW.user_id = '{account.UserId}' AND NEW.action = 'user.password_change' AND NEW.result = 'success')
                EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            using var changed = await auth.SendAsync(HttpMethod.Post, "/api/auth/change-password", current.AccessToken,
                new { currentPassword = account.Password, newPassword = "a brand new passphrase" });
            Assert.False(changed.IsSuccessStatusCode, $"the change should have failed, got {(int)changed.StatusCode}");
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER {trigger} ON audit_logs; DROP FUNCTION {trigger}();");
        }

        // The other session was not ended (its revocation rolled back with the rest) and the old password still works.
        using (var refreshed = await auth.PostAsync("/api/auth/refresh", new { refreshToken = other.RefreshToken }))
        {
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }

        await auth.LoginAsync(account.Email, account.Password);
        // Tests in the collection run one at a time, so no other password change happened meanwhile.
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM outbox_messages WHERE event_type = 'user.password_changed' AND created_at >= $1", startedAt));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql, DateTimeOffset since)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
