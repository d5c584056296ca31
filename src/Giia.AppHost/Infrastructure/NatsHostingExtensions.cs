using Aspire.Hosting.Utils;

namespace Giia.AppHost.Infrastructure;

/// <summary>Hosting integration for NATS, equivalent to the official Aspire.Hosting.Nats.</summary>
public static class NatsHostingExtensions
{
    // Pinned to the 2.9 line: the Debian server used for local runs is 2.9.10, and the event code relies on its behaviour.
    internal const string Registry = "docker.io";
    internal const string Image = "library/nats";
    internal const string Tag = "2.9.25-alpine";

    /// <summary>Adds a NATS server container with user/password authentication and a health check that waits for JetStream.</summary>
    public static IResourceBuilder<NatsServerResource> AddNats(this IDistributedApplicationBuilder builder, string name,
        int? port = null, IResourceBuilder<ParameterResource>? userName = null, IResourceBuilder<ParameterResource>? password = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = userName?.Resource ?? builder.AddParameter($"{name}-username", "nats", publishValueAsDefault: true).Resource;
        var pass = password?.Resource
            ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);

        return builder.AddResource(new NatsServerResource(name, user, pass))
            .WithEndpoint(port: port, targetPort: NatsServerResource.DefaultPort, name: NatsServerResource.PrimaryEndpointName)
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithArgs(context =>
            {
                context.Args.Add("--user");
                context.Args.Add(user);
                context.Args.Add("--pass");
                context.Args.Add(pass);
            })
            .WithNatsHealthCheck();
    }

    /// <summary>Turns JetStream on (<c>-js</c>).</summary>
    public static IResourceBuilder<NatsServerResource> WithJetStream(this IResourceBuilder<NatsServerResource> builder) =>
        builder.WithArgs("-js");

    /// <summary>Keeps JetStream's store in a named volume so streams survive a container restart.</summary>
    public static IResourceBuilder<NatsServerResource> WithDataVolume(this IResourceBuilder<NatsServerResource> builder, string? name = null) =>
        builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), "/var/lib/nats/jetstream")
            .WithArgs("-sd", "/var/lib/nats/jetstream");
}
