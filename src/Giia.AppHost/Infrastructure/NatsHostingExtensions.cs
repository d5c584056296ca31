using Aspire.Hosting.Utils;

namespace Giia.AppHost.Infrastructure;

/// <summary>Hosting integration for NATS, equivalent to the official Aspire.Hosting.Nats.</summary>
public static class NatsHostingExtensions
{
    // Pinned to the 2.9 line: the Debian server used for local runs is 2.9.10, and the event code relies on its behaviour.
    internal const string Registry = "docker.io";
    internal const string Image = "library/nats";
    internal const string Tag = "2.9.25-alpine";

    internal const string ConfigDirectory = "/etc/nats";

    /// <summary>
    /// Adds a NATS server container with user/password authentication and a health check that waits for JetStream: an
    /// operator's login with every right (the server's own connection string) and one restricted login per service
    /// (<see cref="NatsUsers"/>). The credentials reach the server in a configuration file written into the container when it starts (mode 0600),
    /// never on its command line, where <c>ps</c>, <c>docker inspect</c>, the dashboard and the manifest would show them.
    /// </summary>
    public static IResourceBuilder<NatsServerResource> AddNats(this IDistributedApplicationBuilder builder, string name,
        int? port = null, IResourceBuilder<ParameterResource>? userName = null, IResourceBuilder<ParameterResource>? password = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var user = userName?.Resource ?? builder.AddParameter($"{name}-username", "nats", publishValueAsDefault: true).Resource;
        var pass = password?.Resource
            ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);

        var users = NatsUsers.Add(builder, name, user => ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-{user}-password", special: false));
        var server = new NatsServerResource(name, user, pass) { Users = users };
        users.AttachTo(server);
        return builder.AddResource(server)
            .WithEndpoint(port: port, targetPort: NatsServerResource.DefaultPort, name: NatsServerResource.PrimaryEndpointName)
            .WithImage(Image, Tag)
            .WithImageRegistry(Registry)
            .WithContainerFiles(ConfigDirectory, async (_, cancellationToken) =>
            [
                new ContainerFile
                {
                    Name = "auth.conf",
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                    Contents = await users.AuthorizationBlockAsync(
                        await user.GetValueAsync(cancellationToken) ?? "", await pass.GetValueAsync(cancellationToken) ?? "", cancellationToken),
                },
            ])
            .WithArgs("--config", $"{ConfigDirectory}/auth.conf")
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
