using Giia.Auth.Accounts;
using Giia.Auth.Data;
using Giia.Events.Contracts;
using Giia.Events.Subscriptions;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Giia.Auth.Email;

/// <summary>
/// The mails of the account lifecycle, sent from events through the backbone (so a mail server being away delays a
/// mail; it never fails a registration). The link's token is made here and exists only in the mail; the events carry
/// none. The recipient is the address stored for the user when the mail is sent, never one an event carries. At most one mail per event and consumer: the intent (the processed_events record) and the token are
/// committed together before the mail leaves, so a redelivery, a second replica or a replay finds the intent and sends
/// nothing. A send that fails undoes the intent and the token, and the event is retried; a send whose outcome is
/// unknown (cancelled mid-way, the process gone) is not repeated: the user can ask for a new link.
/// </summary>
public sealed partial class AccountEmails(AuthDbContext db, OneTimeTokens tokens, IEmailSender sender, IOptions<EmailOptions> options,
    ILogger<AccountEmails> logger)
    : IHandleEvent<UserRegistered>, IHandleEvent<UserVerificationRequested>, IHandleEvent<UserPasswordResetRequested>,
        IHandleEvent<UserRegistrationAttempted>
{
    public Task HandleAsync(EventContext<UserRegistrationAttempted> context, CancellationToken cancellationToken) =>
        SendWithTokenAsync(context, context.Data.UserId, null, _ =>
            ("Someone tried to register with your address",
             $"Someone tried to create a GIIA account with this email address, which already has one. If it was you, sign in, or reset your password if you forgot it:\n\n{new Uri(options.Value.AppBaseUrl, "forgot-password")}\n\nIf it was not you, you can ignore this mail: nothing was changed."),
            cancellationToken);

    public Task HandleAsync(EventContext<UserRegistered> context, CancellationToken cancellationToken) =>
        SendVerificationAsync(context, context.Data.UserId, context.Data.Name, cancellationToken);

    public Task HandleAsync(EventContext<UserVerificationRequested> context, CancellationToken cancellationToken) =>
        SendVerificationAsync(context, context.Data.UserId, null, cancellationToken);

    public Task HandleAsync(EventContext<UserPasswordResetRequested> context, CancellationToken cancellationToken) =>
        SendWithTokenAsync(context, context.Data.UserId, OneTimeTokenPurpose.ResetPassword, token =>
        {
            var link = Link("reset-password", token);
            return context.Data.Reason == "invited"
                ? ("You are invited to GIIA", $"You have been invited to GIIA. Choose your password here:\n\n{link}\n\nThe link works once.")
                : ("Reset your GIIA password", $"Someone asked to reset the password of this account. If it was you, open:\n\n{link}\n\nThe link works once and expires soon. If it was not you, ignore this mail.");
        }, cancellationToken);

    private Task SendVerificationAsync<TEvent>(EventContext<TEvent> context, Guid userId, string? name,
        CancellationToken cancellationToken) where TEvent : notnull =>
        SendWithTokenAsync(context, userId, OneTimeTokenPurpose.VerifyEmail, token =>
            ("Verify your email for GIIA",
             $"{(name is null ? "Hello," : $"Hello {name},")}\n\nConfirm your email address to start using GIIA:\n\n{Link("verify-email", token)}\n\nThe link works once."),
            cancellationToken);

    /// <summary>
    /// Intent and token in one transaction (a link is never clicked before it is valid), then the mail. The intent's
    /// insert serializes replicas: the second waits on the first's row and then finds it, so only one sends.
    /// </summary>
    private async Task SendWithTokenAsync<TEvent>(EventContext<TEvent> context, Guid userId, OneTimeTokenPurpose? purpose,
        Func<string, (string Subject, string Text)> compose, CancellationToken cancellationToken) where TEvent : notnull
    {
        string? token = null;
        string? email = null;
        var intended = await db.HandleOnceAsync(context, async ct =>
        {
            // The address stored for the user now, never the event's: whoever can publish an event must not be able
            // to send a user's link elsewhere. The user must also belong to the organization the event was sent for.
            email = await db.Users.AsNoTracking()
                .Where(u => u.Id == userId && u.OrganizationId == context.Envelope.OrganizationId)
                .Select(u => u.Email).SingleOrDefaultAsync(ct);
            if (email is not null)
            {
                // A mail without a link (purpose null) still goes through the intent, so it is sent at most once.
                token = purpose is { } linked ? await tokens.IssueAsync(userId, linked, ct) : "";
            }
        }, cancellationToken);
        if (intended && email is null)
        {
            LogNoSuchUser(logger, context.Consumer, context.Envelope.Id);
            return;
        }

        if (!intended || token is null || email is null)
        {
            LogAlreadyHandled(logger, context.Consumer, context.Envelope.Id);
            return;
        }

        var (subject, text) = compose(token);
        try
        {
            await sender.SendAsync(email, subject, text, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The mail did not leave: forget the intent and the token so the retry sends one.
            await ForgetIntentAsync(context, token);
            throw;
        }
        catch (OperationCanceledException)
        {
            LogOutcomeUnknown(logger, context.Consumer, context.Envelope.Id);
            throw;
        }
    }

    private async Task ForgetIntentAsync<TEvent>(EventContext<TEvent> context, string token) where TEvent : notnull
    {
        var hash = Accounts.SecretTokens.Hash(token);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await db.OneTimeTokens.Where(t => t.TokenHash == hash).ExecuteDeleteAsync(CancellationToken.None);
        await db.Set<Giia.Events.Outbox.ProcessedEvent>()
            .Where(e => e.Consumer == context.Consumer && e.EventId == context.Envelope.Id)
            .ExecuteDeleteAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Consumer}: mail for event {EventId} already sent or being sent; nothing to do")]
    private static partial void LogAlreadyHandled(ILogger logger, string consumer, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Consumer}: event {EventId} names no user of its organization; no mail is sent")]
    private static partial void LogNoSuchUser(ILogger logger, string consumer, string eventId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Consumer}: sending the mail for event {EventId} was cancelled mid-way; it is not sent again (the user can ask for a new link)")]
    private static partial void LogOutcomeUnknown(ILogger logger, string consumer, string eventId);

    private string Link(string path, string token) => new Uri(options.Value.AppBaseUrl, $"{path}?token={Uri.EscapeDataString(token)}").ToString();
}
