namespace Giia.AppHost.Infrastructure;

/// <summary>A NATS server, in a container or as a local process; its own connection string is the operator's login.</summary>
public interface INatsServerResource : IResourceWithConnectionString
{
    EndpointReference PrimaryEndpoint { get; }
}
