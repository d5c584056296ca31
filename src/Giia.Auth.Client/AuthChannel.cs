using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.ServiceDiscovery;

namespace Giia.Auth.Client;

/// <summary>
/// The one channel a service keeps to Auth's gRPC endpoint, spreading calls round-robin over every Auth instance it
/// resolves: <c>dns:///host:port</c> asks DNS (a headless Service answers with every ready pod), an
/// <c>http(s)://</c> address asks service discovery (locally, the AppHost passes every replica's endpoint). A
/// ClusterIP address would pin all calls of a pod to one Auth pod: HTTP/2 keeps one connection open.
/// </summary>
internal static class AuthChannel
{
    /// <summary>How often the instance list is asked again, so pods added by the autoscaler get calls within this.</summary>
    public static readonly TimeSpan ResolveInterval = TimeSpan.FromSeconds(15);

    public static GrpcChannel Create(IServiceProvider services, Uri address)
    {
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var resolvers = new ServiceCollection()
            .AddSingleton<ResolverFactory>(new DnsResolverFactory(ResolveInterval))
            .AddSingleton<ResolverFactory>(new ServiceDiscoveryResolverFactory(
                services.GetRequiredService<ServiceEndpointResolver>(), address, ResolveInterval))
            .BuildServiceProvider();
        var target = address.Scheme == "dns" ? address : new Uri($"{ServiceDiscoveryResolverFactory.Scheme}:///{address.Authority}");
        return GrpcChannel.ForAddress(target, new GrpcChannelOptions
        {
            // Inside the cluster Auth speaks plaintext gRPC; TLS ends at the edge.
            Credentials = address.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
            ServiceProvider = resolvers,
            LoggerFactory = loggerFactory,
            HttpHandler = new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                EnableMultipleHttp2Connections = true,
            },
            DisposeHttpClient = true,
        });
    }
}
