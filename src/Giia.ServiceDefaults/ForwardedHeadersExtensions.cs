using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Giia.ServiceDefaults;

/// <summary>
/// Forwarded headers from the listed proxies only (<see cref="ForwardedHeadersSettings"/>). The lists are applied
/// after every other configuration, so <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> (which on its own trusts every
/// peer) cannot widen them.
/// </summary>
public static class ForwardedHeadersExtensions
{
    public static IServiceCollection AddTrustedForwardedHeaders(this IServiceCollection services)
    {
        services.AddValidatedOptions<ForwardedHeadersSettings>(ForwardedHeadersSettings.SectionName);
        services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            // Empty lists mean "any peer" to the middleware: with nothing listed, no header is read at all.
            var listed = settings.Value.KnownProxies.Count + settings.Value.KnownNetworks.Count > 0;
            options.ForwardedHeaders = listed ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.Proxies())
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in settings.Value.Networks())
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>First in the pipeline: everything after it sees the client's address as the trusted proxies gave it.</summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        return app;
    }
}
