using System.Net;

using Giia.ServiceDefaults;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Giia.UnitTests;

/// <summary>
/// X-Forwarded-For is believed from the listed proxies only, even with <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> set
/// (which on its own trusts every peer): a client cannot choose the address it is rate-limited and audited by.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static async Task<IPAddress?> ClientAddressSeenAsync(string peer, string forwardedFor, params string[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["FORWARDEDHEADERS_ENABLED"] = "true";
        foreach (var setting in settings)
        {
            var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            builder.Configuration[key] = value;
        }

        builder.Services.AddTrustedForwardedHeaders();
        await using var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>();
        IPAddress? seen = null;
        var middleware = new ForwardedHeadersMiddleware(context =>
        {
            seen = context.Connection.RemoteIpAddress;
            return Task.CompletedTask;
        }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, options);
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        http.Request.Headers["X-Forwarded-For"] = forwardedFor;
        await middleware.Invoke(http);
        return seen;
    }

    [Fact]
    public async Task By_default_no_peer_is_trusted()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.5"), await ClientAddressSeenAsync("203.0.113.5", "198.51.100.7"));
        Assert.Equal(IPAddress.Loopback, await ClientAddressSeenAsync("127.0.0.1", "198.51.100.7"));
    }

    [Fact]
    public async Task A_listed_network_or_proxy_is_believed_and_no_other()
    {
        var trusted = new[] { "Giia:ForwardedHeaders:KnownNetworks:0=10.42.0.0/16", "Giia:ForwardedHeaders:KnownProxies:0=192.0.2.10" };

        Assert.Equal(IPAddress.Parse("198.51.100.7"), await ClientAddressSeenAsync("10.42.3.4", "198.51.100.7", trusted));
        Assert.Equal(IPAddress.Parse("198.51.100.7"), await ClientAddressSeenAsync("192.0.2.10", "198.51.100.7", trusted));
        Assert.Equal(IPAddress.Parse("10.43.0.1"), await ClientAddressSeenAsync("10.43.0.1", "198.51.100.7", trusted));
    }

    [Fact]
    public void A_malformed_entry_stops_start_up_naming_its_key()
    {
        var failures = ValidatedOptions.Failures(new ForwardedHeadersSettings { KnownNetworks = ["10.42.0.0/99"], KnownProxies = ["not-an-ip"] },
            ForwardedHeadersSettings.SectionName);

        Assert.Contains(failures, f => f.Contains("Giia:ForwardedHeaders:KnownNetworks:0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Giia:ForwardedHeaders:KnownProxies:0", StringComparison.Ordinal));
    }
}
