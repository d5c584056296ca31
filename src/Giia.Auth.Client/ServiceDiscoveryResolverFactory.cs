using Grpc.Net.Client.Balancer;

using Microsoft.Extensions.ServiceDiscovery;

namespace Giia.Auth.Client;

/// <summary>Resolves the channel's <c>discovery:///</c> address to every endpoint service discovery knows for Auth.</summary>
internal sealed class ServiceDiscoveryResolverFactory(ServiceEndpointResolver endpoints, Uri serviceAddress, TimeSpan resolveInterval)
    : ResolverFactory
{
    public const string Scheme = "discovery";

    public override string Name => Scheme;

    public override Resolver Create(ResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ServiceDiscoveryResolver(endpoints, serviceAddress, resolveInterval, options.LoggerFactory);
    }
}
