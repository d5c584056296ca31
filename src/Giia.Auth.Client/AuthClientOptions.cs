using System.ComponentModel.DataAnnotations;

namespace Giia.Auth.Client;

public sealed class AuthClientOptions
{
    public const string SectionName = "Giia:AuthClient";

    /// <summary>Auth's HTTP base address (service discovery resolves <c>http://auth</c>); its JWKS is read from there.</summary>
    [Required]
    public Uri? HttpAddress { get; set; } = new("http://auth");

    /// <summary>
    /// Auth's gRPC address. <c>http://_grpc.auth</c> (the default) asks service discovery for every endpoint named grpc;
    /// <c>dns:///auth-grpc-pods:9091</c> asks DNS, which for a headless Service answers with every ready pod. Calls are
    /// spread round-robin over what either returns.
    /// </summary>
    [Required]
    public Uri? GrpcAddress { get; set; } = new("http://_grpc.auth");

    [Required]
    public string Audience { get; set; } = "giia";

    /// <summary>
    /// How long a decision is reused for the same token and permission while Auth's invalidation notices arrive: a
    /// notice (session ended, role revoked, ...) drops it at once, so this bounds only the memory it takes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan DecisionCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a decision is reused while notices cannot be trusted (NATS away, Auth silent, at start): the bound on
    /// how late a revocation takes effect then.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan FallbackDecisionCacheDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a permission check may take before the call fails closed (503 / Unavailable). At least 0.5 s, so the
    /// hedge to another Auth replica (after 250 ms) has time to answer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:00:30")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
