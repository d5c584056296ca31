using Giia.Events.Contracts;
using Giia.Tests.Events;
using Giia.Tests.Infrastructure;

using NATS.Client.Core;
using NATS.Client.JetStream;

using Npgsql;

namespace Giia.Tests.Auth;

/// <summary>A mail goes to the address stored for the user, whatever address an event carries.</summary>
[Collection(GiiaSystem.Name)]
public sealed class MailRecipientTests(GiiaAppFixture fixture)
{
    [Fact]
    public async Task A_forged_reset_event_naming_another_address_sends_the_link_to_the_users_own_address_only()
    {
        using var auth = new AuthApi(fixture);
        var (victim, _) = await auth.RegisterVerifiedAsync();
        var attacker = AuthApi.NewEmail("attacker");

        // Whoever can publish on NATS forges a reset request for the victim with their own address.
        await using var nats = new NatsConnection(new NatsOpts { Url = await fixture.ConnectionStringAsync("nats") });
        var forged = EventWire.Envelope(new UserPasswordResetRequested(victim.UserId, attacker, victim.OrganizationId, DateTimeOffset.UtcNow, "forgot"),
            victim.OrganizationId);
        await EventWire.PublishAsync(new NatsJSContext(nats), "auth.user.password_reset_requested", forged.ToUtf8Json(), forged.Id);

        // The link goes to the victim's stored address (harmless: they did not ask, and can ignore it) ...
        var link = await auth.TokenFromMailAsync(victim.Email, "reset-password");
        Assert.False(string.IsNullOrEmpty(link));
        // ... and never to the attacker's, even after the mail to the victim has left.
        Assert.Empty(auth.MailTokens(attacker, "reset-password"));
        Assert.True(await HandledAsync(forged.Id), "the forged event's handling is recorded");

        // A forged event for a user of another organization sends nothing at all.
        var (other, _) = await auth.RegisterVerifiedAsync();
        var crossed = EventWire.Envelope(new UserPasswordResetRequested(other.UserId, attacker, victim.OrganizationId, DateTimeOffset.UtcNow, "forgot"),
            victim.OrganizationId);
        await EventWire.PublishAsync(new NatsJSContext(nats), "auth.user.password_reset_requested", crossed.ToUtf8Json(), crossed.Id);
        await Eventually.UntilAsync(() => HandledAsync(crossed.Id), handled => handled, TimeSpan.FromSeconds(60),
            () => $"the crossed event to be handled (alerts: {fixture.Alerts.AlertsFor(crossed.Id, "auth-password-email").Count})");
        Assert.Empty(auth.MailTokens(other.Email, "reset-password"));
        Assert.Empty(auth.MailTokens(attacker, "reset-password"));
    }

    private async Task<bool> HandledAsync(string eventId)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("authdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM processed_events WHERE consumer = 'auth-password-email' AND event_id = @id", connection);
        command.Parameters.AddWithValue("id", eventId);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
