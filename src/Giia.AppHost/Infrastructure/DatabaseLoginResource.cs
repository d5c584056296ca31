namespace Giia.AppHost.Infrastructure;

/// <summary>
/// One role's login to one database (<c>{database}-app</c> or <c>{database}-owner</c>, see <see cref="DatabaseRoles"/>):
/// its connection string names that role, never the server's superuser. Services and their migrations reference it
/// under the database's name, so their code reads <c>ConnectionStrings:{database}</c> whichever role it is.
/// </summary>
public sealed class DatabaseLoginResource(string name, string database, string role, ParameterResource password, EndpointReference server)
    : Resource(name), IResourceWithConnectionString
{
    public string Database { get; } = database;

    public string Role { get; } = role;

    public ParameterResource PasswordParameter { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={server.Property(EndpointProperty.Host)};Port={server.Property(EndpointProperty.Port)};Username={Role};Password={PasswordParameter};Database={Database}");
}
