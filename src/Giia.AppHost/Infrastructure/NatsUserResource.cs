namespace Giia.AppHost.Infrastructure;

/// <summary>
/// One service's login to the NATS server (<c>nats-{user}</c>): its connection string is <c>nats://user:pass@host:port</c>,
/// and what the user may do there is the service's entry in <see cref="Giia.Events.Access.NatsAccessTable"/>.
/// Services reference it under the connection name <c>nats</c>.
/// </summary>
public sealed class NatsUserResource(string name, string user, ParameterResource password, INatsServerResource server)
    : Resource(name), IResourceWithConnectionString, IResourceWithParent<INatsServerResource>
{
    public string User { get; } = user;

    public ParameterResource PasswordParameter { get; } = password;

    public INatsServerResource Parent { get; } = server;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create(
            $"nats://{User}:{PasswordParameter}@{Parent.PrimaryEndpoint.Property(EndpointProperty.Host)}:{Parent.PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
