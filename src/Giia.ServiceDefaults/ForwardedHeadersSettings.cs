using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Giia.ServiceDefaults;

/// <summary>
/// Which peers may say, in <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, who the client is
/// (<c>Giia:ForwardedHeaders</c>): only these, listed explicitly; empty by default, so a client's own headers change
/// nothing (not the address rate limits and lockouts count by, not the address audit records keep).
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string SectionName = "Giia:ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of the service (the ingress controller's pods), e.g. <c>10.0.3.17</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR notation (the ingress controller's pod network), e.g. <c>10.42.0.0/16</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public IEnumerable<IPAddress> Proxies() => KnownProxies.Select(IPAddress.Parse);

    public IEnumerable<IPNetwork> Networks() => KnownNetworks.Select(network => IPNetwork.Parse(network));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (proxy, index) in KnownProxies.Select((p, i) => (p, i)).Where(p => !IPAddress.TryParse(p.p, out _)))
        {
            yield return new ValidationResult($"{SectionName}:KnownProxies:{index} ('{proxy}') is not an IP address.");
        }

        foreach (var (network, index) in KnownNetworks.Select((n, i) => (n, i)).Where(n => !IPNetwork.TryParse(n.n, out _)))
        {
            yield return new ValidationResult($"{SectionName}:KnownNetworks:{index} ('{network}') is not a network in CIDR notation (10.42.0.0/16).");
        }
    }
}
