namespace Giia.AppHost.Infrastructure;

/// <summary>
/// A service's database and its two logins (<see cref="DatabaseRoles"/>): <see cref="Application"/> for the running
/// service, <see cref="Owner"/> for its migrations. <see cref="Server"/> is the database as the server's administrator
/// sees it (health checks, tests); no service is given it.
/// </summary>
public sealed record ServiceDatabase(
    string Name,
    IResourceBuilder<IResourceWithConnectionString> Server,
    IResourceBuilder<IResourceWithConnectionString> Application,
    IResourceBuilder<IResourceWithConnectionString> Owner);
