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

    /// <summary>How long a call waits for its replica before the same call is also sent to another (p99 of a check is far below).</summary>
    public static readonly TimeSpan HedgingDelay = TimeSpan.FromMilliseconds(250);

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
            ServiceConfig = new ServiceConfig
            {
                LoadBalancingConfigs = { new RoundRobinConfig() },
                // Hedges stop once failed attempts outnumber answers (a brownout of every replica): they must not
                // double the load then. One replica away (half the attempts) stays hedged.
                RetryThrottling = new RetryThrottlingPolicy { MaxTokens = 100, TokenRatio = 1 },
                // A replica that is going away or hangs (a rollout, a crash, a frozen pod) must not stall the checks
                // sent its way: when no answer has come within the hedging delay, or the attempt failed as
                // UNAVAILABLE, the same call goes to the next replica and the first answer wins. Auth's RPCs are
                // reads; a check answered by both is audited twice, nothing more.
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        HedgingPolicy = new HedgingPolicy
                        {
                            MaxAttempts = 2,
                            HedgingDelay = HedgingDelay,
                            NonFatalStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            },
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
