namespace Giia.AppHost.Infrastructure;

/// <summary>
/// A NATS server in a container, the counterpart of the official Aspire.Hosting.Nats resource
/// (not served in this project's package feed). Its connection string is <c>nats://user:pass@host:port</c>.
/// </summary>
public sealed class NatsServerResource(string name, ParameterResource userName, ParameterResource password)
    : ContainerResource(name), INatsServerResource
{
    internal const string PrimaryEndpointName = "tcp";
    internal const int DefaultPort = 4222;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ParameterResource UserNameParameter { get; } = userName;

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The services' logins on this server.</summary>
    public required NatsUsers Users { get; init; }

    public ReferenceExpression ConnectionStringExpression =>
        NatsConnectionString.Build(UserNameParameter, PasswordParameter, PrimaryEndpoint);
}

/// <summary>A NATS server run as a local process (no container runtime on this machine).</summary>
public sealed class LocalNatsServerResource(string name, string command, string workingDirectory,
    ParameterResource userName, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), INatsServerResource
{
    public EndpointReference PrimaryEndpoint => field ??= new(this, NatsServerResource.PrimaryEndpointName);

    public ParameterResource UserNameParameter { get; } = userName;

    public ParameterResource PasswordParameter { get; } = password;

    public ReferenceExpression ConnectionStringExpression =>
        NatsConnectionString.Build(UserNameParameter, PasswordParameter, PrimaryEndpoint);
}

internal static class NatsConnectionString
{
    public static ReferenceExpression Build(ParameterResource user, ParameterResource password, EndpointReference endpoint) =>
        ReferenceExpression.Create(
            $"nats://{user}:{password}@{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}");
}
