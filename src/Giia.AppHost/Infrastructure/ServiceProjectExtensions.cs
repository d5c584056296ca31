namespace Giia.AppHost.Infrastructure;

public static class ServiceProjectExtensions
{
    /// <summary>
    /// In the published manifest, a service speaks plain HTTP on its own ports (TLS ends at the cluster's ingress).
    /// Aspire adds an <c>https</c> binding to every web project when publishing, and it would collide with the gRPC port.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPlainHttpWhenPublished(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            foreach (var https in builder.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.Name == "https").ToList())
            {
                builder.Resource.Annotations.Remove(https);
            }
        }

        return builder;
    }

    /// <summary>
    /// The service's own NATS login (<see cref="NatsUsers"/>) as its connection string <c>nats</c>; the service starts once
    /// the server is up.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithNats(this IResourceBuilder<ProjectResource> service, GiiaInfrastructure infrastructure, string user)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(infrastructure);
        return service.WithReference(infrastructure.NatsUsers.For(user), "nats").WaitFor(infrastructure.Nats);
    }

    /// <summary>Passes an AppHost setting (e.g. from the command line) on to the service, when it is set.</summary>
    public static IResourceBuilder<ProjectResource> WithOptionalSetting(this IResourceBuilder<ProjectResource> builder, string key)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.ApplicationBuilder.Configuration[key] is { Length: > 0 } value)
        {
            builder.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
        }

        return builder;
    }

    /// <summary>Passes an AppHost setting on to the service, or <paramref name="fallback"/> when it is not set.</summary>
    public static IResourceBuilder<ProjectResource> WithSetting(this IResourceBuilder<ProjectResource> builder, string key, string fallback)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal),
            builder.ApplicationBuilder.Configuration[key] is { Length: > 0 } value ? value : fallback);
    }

    /// <summary>
    /// The service's migrations as a resource of their own (<c>{service}-migrate</c>): the service's project started
    /// with <c>migrate</c>, which applies migrations and seeding to completion and exits. Deployed, it is the
    /// service's migration Job; services wait for it (<see cref="WithMigratedDatabase"/>) and never migrate themselves.
    /// It logs in as the database's owner (<see cref="DatabaseRoles.Owner"/>), under the database's connection name.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMigrations<TProject>(this IDistributedApplicationBuilder builder,
        string service, ServiceDatabase database)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        var migrations = builder.AddProject<TProject>($"{service}-migrate", launchProfileName: null)
            .WithArgs("migrate")
            .WithReference(database.Owner, database.Name).WaitFor(database.Server).WaitFor(database.Owner);
        // It listens nowhere: no endpoints, in the dashboard or in the manifest.
        foreach (var endpoint in migrations.Resource.Annotations.OfType<EndpointAnnotation>().ToList())
        {
            migrations.Resource.Annotations.Remove(endpoint);
        }

        return migrations;
    }

    /// <summary>
    /// The service's database through its application login (<see cref="DatabaseRoles.Application"/>: rows only), used
    /// once its migrations (<see cref="AddMigrations{TProject}"/>) have completed.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMigratedDatabase(this IResourceBuilder<ProjectResource> service,
        ServiceDatabase database, IResourceBuilder<ProjectResource> migrations)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(database);
        return service.WithReference(database.Application, database.Name).WaitFor(database.Server).WaitFor(database.Application)
            .WaitForCompletion(migrations);
    }
}
