extern alias authservice;

using System.Net;
using System.Net.Sockets;
using System.Text;

using authservice::Giia.Auth.Email;

using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Giia.UnitTests;

/// <summary>Mail never leaves in plaintext outside Development: not by configuration, not when a server hides STARTTLS.</summary>
public sealed class SmtpSecurityTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Plaintext_smtp_outside_development_stops_start_up_naming_the_key(string environment)
    {
        var result = new EmailOptionsValidator(new Environment(environment)).Validate(null, new EmailOptions
        {
            Provider = "smtp",
            SmtpHost = "smtp.example.com",
            SmtpSecurity = "none",
            AppBaseUrl = new Uri("https://app.example.com"),
        });

        Assert.True(result.Failed);
        Assert.Contains("Giia:Email:SmtpSecurity", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("starttls")]
    [InlineData("tls")]
    public void Tls_outside_development_is_accepted(string security)
    {
        var result = new EmailOptionsValidator(new Environment("Production")).Validate(null, new EmailOptions
        {
            Provider = "smtp",
            SmtpHost = "smtp.example.com",
            SmtpSecurity = security,
            AppBaseUrl = new Uri("https://app.example.com"),
        });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public async Task A_server_that_does_not_offer_starttls_gets_no_message()
    {
        // A man in the middle strips STARTTLS from the server's EHLO answer: the sender must refuse, not go on in clear.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var seen = new StringBuilder();
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\r\n" };
            await writer.WriteLineAsync("220 relay.test ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (seen)
                {
                    seen.AppendLine(line);
                }

                if (line.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase))
                {
                    await writer.WriteLineAsync("250-relay.test");
                    await writer.WriteLineAsync("250 AUTH PLAIN LOGIN");
                }
                else if (line.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase))
                {
                    await writer.WriteLineAsync("221 bye");
                    break;
                }
                else
                {
                    await writer.WriteLineAsync("250 ok");
                }
            }
        });

        var sender = new SmtpEmailSender(Options.Create(new EmailOptions
        {
            Provider = "smtp",
            SmtpHost = "127.0.0.1",
            SmtpPort = port,
            SmtpSecurity = "starttls",
            SmtpUsername = "giia",
            SmtpPassword = "secret",
        }));

        await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync("victim@example.com", "Reset", "link", CancellationToken.None));
        listener.Stop();
        await Task.WhenAny(server, Task.Delay(TimeSpan.FromSeconds(5)));

        string transcript;
        lock (seen)
        {
            transcript = seen.ToString();
        }

        Assert.Contains("EHLO", transcript, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AUTH", transcript, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MAIL FROM", transcript, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "auth";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
