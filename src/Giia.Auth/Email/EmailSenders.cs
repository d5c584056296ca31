using System.ComponentModel.DataAnnotations;

using MailKit.Net.Smtp;
using MailKit.Security;

using Microsoft.Extensions.Options;

using MimeKit;

namespace Giia.Auth.Email;

/// <summary>Email settings (<c>Giia:Email</c>).</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Giia:Email";

    /// <summary><c>pickup</c> (development: .eml files in a folder, and a log line) or <c>smtp</c>.</summary>
    [RegularExpression("^(pickup|smtp)$", ErrorMessage = "must be 'pickup' or 'smtp'")]
    public string Provider { get; set; } = "pickup";

    [Required(ErrorMessage = "is required (the sender address)")]
    public string From { get; set; } = "noreply@giia.local";

    /// <summary>Where the pickup sender writes messages.</summary>
    public string PickupDirectory { get; set; } = "mail";

    /// <summary>
    /// How long the pickup sender takes per message to a recipient at <see cref="PickupDelayDomain"/>: a slow mail
    /// server, for fault tests. Development only.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PickupDelay { get; set; }

    public string? PickupDelayDomain { get; set; }

    /// <summary>The front end's address; links in emails point there (<c>/verify-email?token=</c>, <c>/reset-password?token=</c>).</summary>
    [Required(ErrorMessage = "is required (the base URL of links in emails)")]
    public Uri AppBaseUrl { get; set; } = new("http://localhost:3000");

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    public string? SmtpUsername { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>
    /// <c>starttls</c> (default: the connection must be upgraded, a server that does not offer it is refused),
    /// <c>tls</c> (TLS from the first byte, usually port 465), or <c>none</c> (a relay on the same host, development only).
    /// </summary>
    [RegularExpression("^(starttls|tls|none)$", ErrorMessage = "must be 'starttls', 'tls' or 'none'")]
    public string SmtpSecurity { get; set; } = "starttls";
}

public interface IEmailSender
{
    Task SendAsync(string recipient, string subject, string textBody, CancellationToken cancellationToken);
}

/// <summary>Development sender: logs each message and writes it as an .eml file a developer can open.</summary>
public sealed partial class PickupDirectoryEmailSender(IOptions<EmailOptions> options, ILogger<PickupDirectoryEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(string recipient, string subject, string textBody, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = EmailMessages.Build(settings.From, recipient, subject, textBody);
        // Messages hold verification and reset links: folder and files are readable by their owner only.
        var directory = Directory.CreateDirectory(settings.PickupDirectory).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var file = Path.Combine(directory, $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml");
        // Written under another name and renamed: whoever watches the folder sees whole messages only.
        var partial = file + ".partial";
        if (settings.PickupDelay > TimeSpan.Zero && settings.PickupDelayDomain is { Length: > 0 } slow
            && recipient.EndsWith("@" + slow, StringComparison.OrdinalIgnoreCase))
        {
            await Task.Delay(settings.PickupDelay, cancellationToken);
        }

        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(partial, create))
        {
            await message.WriteToAsync(stream, cancellationToken);
        }

        File.Move(partial, file);
        LogWritten(logger, subject, recipient, file);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Email '{Subject}' to {To} written to {File}")]
    private static partial void LogWritten(ILogger logger, string subject, string to, string file);
}

/// <summary>Staging and production sender over SMTP with STARTTLS or TLS (MailKit); never silently in plaintext.</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(string recipient, string subject, string textBody, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var client = new SmtpClient();
        var security = settings.SmtpSecurity switch
        {
            "tls" => SecureSocketOptions.SslOnConnect,
            "none" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUsername))
        {
            await client.AuthenticateAsync(settings.SmtpUsername, settings.SmtpPassword ?? "", cancellationToken);
        }

        await client.SendAsync(EmailMessages.Build(settings.From, recipient, subject, textBody), cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

internal static class EmailMessages
{
    public static MimeMessage Build(string from, string to, string subject, string textBody)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = textBody };
        return message;
    }
}

/// <summary>
/// SMTP needs a host and, outside development, TLS and a public https base URL for links; the pickup sender writes
/// into the container's filesystem, so it is for development only.
/// </summary>
public sealed class EmailOptionsValidator(IHostEnvironment environment) : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        var failures = new List<string>();
        if (options.Provider == "smtp" && string.IsNullOrWhiteSpace(options.SmtpHost))
        {
            failures.Add("Giia:Email:SmtpHost is required when Giia:Email:Provider is smtp.");
        }

        if (!environment.IsDevelopment())
        {
            if (options.Provider != "smtp")
            {
                failures.Add("Giia:Email:Provider must be smtp outside development (pickup writes mail into the container).");
            }
            else if (options.SmtpSecurity == "none")
            {
                failures.Add("Giia:Email:SmtpSecurity must be starttls or tls outside development.");
            }

            if (options.AppBaseUrl is not { Scheme: "https" } || options.AppBaseUrl.IsLoopback)
            {
                failures.Add("Giia:Email:AppBaseUrl must be the public https address of the front end outside development.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
