using Giia.Auth.Accounts;
using Giia.Auth.Data;
using Giia.Events.Contracts;
using Giia.Events.Subscriptions;

using Microsoft.Extensions.Options;

namespace Giia.Auth.Email;

/// <summary>
/// The mails of the account lifecycle, sent from events through the backbone (so a mail server being away delays a
/// mail; it never fails a registration). The link's token is made here and exists only in the mail; the events carry
/// none. Each event is handled once per consumer (processed_events); the mail is sent before that record commits,
/// so a crash in between sends it twice rather than never.
/// </summary>
public sealed class AccountEmails(AuthDbContext db, AccountService accounts, IEmailSender sender, IOptions<EmailOptions> options)
    : IHandleEvent<UserRegistered>, IHandleEvent<UserVerificationRequested>, IHandleEvent<UserPasswordResetRequested>
{
    public Task HandleAsync(EventContext<UserRegistered> context, CancellationToken cancellationToken) =>
        SendVerificationAsync(context, context.Data.UserId, context.Data.Email, context.Data.Name, cancellationToken);

    public Task HandleAsync(EventContext<UserVerificationRequested> context, CancellationToken cancellationToken) =>
        SendVerificationAsync(context, context.Data.UserId, context.Data.Email, null, cancellationToken);

    public Task HandleAsync(EventContext<UserPasswordResetRequested> context, CancellationToken cancellationToken) =>
        db.HandleOnceAsync(context, async ct =>
        {
            var token = await accounts.IssueOneTimeTokenAsync(context.Data.UserId, OneTimeTokenPurpose.ResetPassword, ct);
            var link = Link("reset-password", token);
            var (subject, text) = context.Data.Reason == "invited"
                ? ("You are invited to GIIA", $"You have been invited to GIIA. Choose your password here:\n\n{link}\n\nThe link works once.")
                : ("Reset your GIIA password", $"Someone asked to reset the password of this account. If it was you, open:\n\n{link}\n\nThe link works once and expires soon. If it was not you, ignore this mail.");
            await sender.SendAsync(context.Data.Email, subject, text, ct);
        }, cancellationToken);

    private Task SendVerificationAsync<TEvent>(EventContext<TEvent> context, Guid userId, string email, string? name,
        CancellationToken cancellationToken) where TEvent : notnull =>
        db.HandleOnceAsync(context, async ct =>
        {
            var token = await accounts.IssueOneTimeTokenAsync(userId, OneTimeTokenPurpose.VerifyEmail, ct);
            var greeting = name is null ? "Hello," : $"Hello {name},";
            await sender.SendAsync(email, "Verify your email for GIIA",
                $"{greeting}\n\nConfirm your email address to start using GIIA:\n\n{Link("verify-email", token)}\n\nThe link works once.", ct);
        }, cancellationToken);

    private string Link(string path, string token) => new Uri(options.Value.AppBaseUrl, $"{path}?token={Uri.EscapeDataString(token)}").ToString();
}
