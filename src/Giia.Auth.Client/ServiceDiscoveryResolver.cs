using System.Net;

using Grpc.Net.Client.Balancer;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ServiceDiscovery;

namespace Giia.Auth.Client;

/// <summary>Every endpoint of <paramref name="serviceAddress"/> (e.g. <c>http://_grpc.auth</c>), asked again at an interval.</summary>
internal sealed class ServiceDiscoveryResolver(ServiceEndpointResolver endpoints, Uri serviceAddress, TimeSpan resolveInterval, ILoggerFactory loggerFactory)
    : PollingResolver(loggerFactory)
{
    private Timer? timer;

    protected override void OnStarted()
    {
        base.OnStarted();
        timer = new Timer(_ => Refresh(), null, resolveInterval, resolveInterval);
    }

    protected override async Task ResolveAsync(CancellationToken cancellationToken)
    {
        var source = await endpoints.GetEndpointsAsync(serviceAddress.ToString(), cancellationToken);
        var addresses = source.Endpoints.Select(e => e.EndPoint switch
        {
            IPEndPoint ip => new BalancerAddress(ip.Address.ToString(), ip.Port),
            DnsEndPoint dns => new BalancerAddress(dns.Host, dns.Port),
            UriEndPoint uri => new BalancerAddress(uri.Uri.Host, uri.Uri.Port),
            var other => throw new InvalidOperationException($"Service discovery returned an endpoint gRPC cannot dial: {other}"),
        }).ToArray();
        Listener(ResolverResult.ForResult(addresses));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            timer?.Dispose();
        }

        base.Dispose(disposing);
    }
}
