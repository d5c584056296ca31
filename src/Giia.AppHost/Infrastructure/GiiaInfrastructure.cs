namespace Giia.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL, Redis and NATS (JetStream) for GIIA, as containers or as local processes, behind one shape
/// so that Program.cs reads the same in both modes.
/// </summary>
public sealed class GiiaInfrastructure
{
    private readonly Func<string, ServiceDatabase> addDatabase;

    internal GiiaInfrastructure(InfrastructureMode mode, string dataRoot,
        IResourceBuilder<IResourceWithConnectionString> redis,
        IResourceBuilder<IResourceWithConnectionString> nats,
        NatsUsers natsUsers,
        Func<string, ServiceDatabase> addDatabase)
    {
        Mode = mode;
        DataRoot = dataRoot;
        Redis = redis;
        Nats = nats;
        NatsUsers = natsUsers;
        this.addDatabase = addDatabase;
    }

    public InfrastructureMode Mode { get; }

    /// <summary>The git-ignored folder for what a local run keeps (servers' data in local mode, the development signing key, mail).</summary>
    public string DataRoot { get; }

    public IResourceBuilder<IResourceWithConnectionString> Redis { get; }

    /// <summary>The NATS server; its connection string is the operator's login (the AppHost's and the tests').</summary>
    public IResourceBuilder<IResourceWithConnectionString> Nats { get; }

    /// <summary>Each service's own, restricted NATS login.</summary>
    public NatsUsers NatsUsers { get; }

    /// <summary>A database of its own on the shared PostgreSQL server, with an owner login for its migrations and an
    /// application login for the service (<see cref="DatabaseRoles"/>).</summary>
    public ServiceDatabase AddDatabase(string name) => addDatabase(name);
}

public static class GiiaInfrastructureExtensions
{
    public static GiiaInfrastructure AddGiiaInfrastructure(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return InfrastructureModeSelector.Select(builder) switch
        {
            InfrastructureMode.Local => LocalInfrastructure.Add(builder),
            _ => AddContainers(builder),
        };
    }

    private static GiiaInfrastructure AddContainers(IDistributedApplicationBuilder builder)
    {
        // Volume names are explicit: generated ones hash the AppHost's path, which differs from clone to clone.
        var postgres = builder.AddPostgres("postgres").WithDataVolume("giia-postgres-data");
        var redis = builder.AddRedis("redis").WithDataVolume("giia-redis-data");
        var nats = builder.AddNats("nats").WithJetStream().WithDataVolume("giia-nats-data");
        var logins = new DatabaseLogins(builder, postgres.Resource.PrimaryEndpoint,
            name => builder.AddParameter(name, new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true).Resource);
        postgres.OnResourceReady(async (server, @event, ct) =>
            await logins.ApplyAsync(await server.ConnectionStringExpression.GetValueAsync(ct) ?? "", @event.Services, ct));

        return new GiiaInfrastructure(
            InfrastructureMode.Containers,
            DataRootOf(builder),
            AsConnectionString(builder, redis.Resource),
            AsConnectionString(builder, nats.Resource),
            nats.Resource.Users,
            name => logins.Add(name, AsConnectionString(builder, postgres.AddDatabase(name).Resource)));
    }

    internal static string DataRootOf(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration["Giia:DataRoot"] ?? Path.Combine(builder.AppHostDirectory, "..", "..", ".giia"));

    internal static IResourceBuilder<IResourceWithConnectionString> AsConnectionString(
        IDistributedApplicationBuilder builder, IResourceWithConnectionString resource) =>
        builder.CreateResourceBuilder<IResourceWithConnectionString>(resource);
}
