using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Giia.AppHost.Infrastructure;

/// <summary>
/// The services' logins on one PostgreSQL server: per database, a <see cref="DatabaseLoginResource"/> for the owner and
/// one for the application (<see cref="DatabaseRoles"/>), each with a password of its own. They become usable (Running)
/// once <see cref="ApplyAsync"/> has set the roles up on the running server, so whatever waits for a login waits for that.
/// </summary>
public sealed class DatabaseLogins
{
    private readonly IDistributedApplicationBuilder builder;
    private readonly EndpointReference server;
    private readonly Func<string, ParameterResource> password;
    private readonly List<DatabaseRoles> databases = [];
    private readonly Dictionary<string, ParameterResource> passwords = [];
    private readonly List<DatabaseLoginResource> logins = [];

    /// <param name="password">Makes the password parameter of a login (<c>{database}-owner-password</c>, <c>{database}-app-password</c>).</param>
    public DatabaseLogins(IDistributedApplicationBuilder builder, EndpointReference server, Func<string, ParameterResource> password)
    {
        this.builder = builder;
        this.server = server;
        this.password = password;
    }

    /// <summary>The database <paramref name="name"/> with its two logins; <paramref name="serverView"/> is the database as the administrator sees it.</summary>
    public ServiceDatabase Add(string name, IResourceBuilder<IResourceWithConnectionString> serverView)
    {
        var roles = new DatabaseRoles(name);
        databases.Add(roles);
        return new ServiceDatabase(name, serverView, Login($"{name}-app", roles.Application, name), Login($"{name}-owner", roles.Owner, name));
    }

    /// <summary>Sets every role up through <paramref name="adminConnectionString"/>, then marks the logins usable (or failed).</summary>
    public async Task ApplyAsync(string adminConnectionString, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var state = KnownResourceStates.Running;
        try
        {
            await DatabaseRoles.ApplyAsync(adminConnectionString, databases,
                async (role, ct) => await passwords[role].GetValueAsync(ct) ?? throw new InfrastructureSetupException($"The password of {role} has no value."),
                cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InfrastructureSetupException)
        {
            services.GetRequiredService<ResourceLoggerService>().GetLogger(logins[0]).LogError(ex, "Setting up the services' PostgreSQL roles failed");
            state = KnownResourceStates.FailedToStart;
        }

        foreach (var login in logins)
        {
            await notifications.PublishUpdateAsync(login, snapshot => snapshot with { State = state, StartTimeStamp = DateTime.UtcNow });
        }
    }

    private IResourceBuilder<IResourceWithConnectionString> Login(string name, string role, string database)
    {
        var secret = password($"{name}-password");
        passwords[role] = secret;
        var login = new DatabaseLoginResource(name, database, role, secret, server);
        logins.Add(login);
        var resource = builder.AddResource(login)
            // A login, not something that runs: kept off the dashboard's list.
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresLogin",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.role", role)],
                IsHidden = true,
            });
        return GiiaInfrastructureExtensions.AsConnectionString(builder, resource.Resource);
    }
}
