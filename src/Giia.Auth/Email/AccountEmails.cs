using Giia.Auth.Accounts;
using Giia.Auth.Data;
using Giia.Events.Contracts;
using Giia.Events.Subscriptions;

using Microsoft.Extensions.Options;

namespace Giia.Auth.Email;

/// <summary>
/// The mails of the account lifecycle, sent from events through the backbone (so a mail server being away delays a
/// mail; it never fails a registration). The link's token is made here and exists only in the mail; the events carry
/// none. Each event is handled once per consumer (processed_events), recorded after the mail is sent, so a crash in
/// between sends it twice rather than never.
/// </summary>
public sealed class AccountEmails(AuthDbContext db, AccountService accounts, IEmailSender sender, IOptions<EmailOptions> options)
    : IHandleEvent<UserRegistered>, IHandleEvent<UserVerificationRequested>, IHandleEvent<UserPasswordResetRequested>
{
    public Task HandleAsync(EventContext<UserRegistered> context, CancellationToken cancellationToken) =>
        SendVerificationAsync(context, context.Data.UserId, context.Data.Email, context.Data.Name, cancellationToken);

    public Task HandleAsync(EventContext<UserVerificationRequested> context, CancellationToken cancellationToken) =>
        SendVerificationAsync(context, context.Data.UserId, context.Data.Email, null, cancellationToken);

    public Task HandleAsync(EventContext<UserPasswordResetRequested> context, CancellationToken cancellationToken) =>
        SendWithTokenAsync(context, context.Data.UserId, OneTimeTokenPurpose.ResetPassword, token =>
        {
            var link = Link("reset-password", token);
            return context.Data.Reason == "invited"
                ? ("You are invited to GIIA", $"You have been invited to GIIA. Choose your password here:\n\n{link}\n\nThe link works once.")
                : ("Reset your GIIA password", $"Someone asked to reset the password of this account. If it was you, open:\n\n{link}\n\nThe link works once and expires soon. If it was not you, ignore this mail.");
        }, context.Data.Email, cancellationToken);

    private Task SendVerificationAsync<TEvent>(EventContext<TEvent> context, Guid userId, string email, string? name,
        CancellationToken cancellationToken) where TEvent : notnull =>
        SendWithTokenAsync(context, userId, OneTimeTokenPurpose.VerifyEmail, token =>
            ("Verify your email for GIIA",
             $"{(name is null ? "Hello," : $"Hello {name},")}\n\nConfirm your email address to start using GIIA:\n\n{Link("verify-email", token)}\n\nThe link works once."),
            email, cancellationToken);

    /// <summary>
    /// The token is committed before the mail leaves, so a link is never clicked before it is valid; the event counts as
    /// handled only after the mail is sent. A failure in between means a redelivery, a fresh token and a second mail
    /// (at least once), never a lost mail.
    /// </summary>
    private async Task SendWithTokenAsync<TEvent>(EventContext<TEvent> context, Guid userId, OneTimeTokenPurpose purpose,
        Func<string, (string Subject, string Text)> compose, string email, CancellationToken cancellationToken) where TEvent : notnull
    {
        if (await db.WasProcessedAsync(context.Consumer, context.Envelope.Id, cancellationToken))
        {
            return;
        }

        var token = await accounts.IssueOneTimeTokenAsync(userId, purpose, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var (subject, text) = compose(token);
        await sender.SendAsync(email, subject, text, cancellationToken);
        await db.MarkProcessedAsync(context, cancellationToken);
    }

    private string Link(string path, string token) => new Uri(options.Value.AppBaseUrl, $"{path}?token={Uri.EscapeDataString(token)}").ToString();
}
