using System.Text;

using Giia.Events.Access;

namespace Giia.AppHost.Infrastructure;

/// <summary>
/// The services' NATS logins on one server: a <see cref="NatsUserResource"/> (<c>{server}-{user}</c>) per entry of
/// <see cref="NatsAccessTable"/>, each with a password of its own, and the server's <c>authorization</c> block that
/// grants each exactly its entry.
/// </summary>
public sealed class NatsUsers
{
    private readonly IDistributedApplicationBuilder builder;
    private readonly string serverName;
    private readonly Dictionary<string, ParameterResource> passwords;
    private readonly Dictionary<string, IResourceBuilder<IResourceWithConnectionString>> logins = [];

    private NatsUsers(IDistributedApplicationBuilder builder, string serverName, Dictionary<string, ParameterResource> passwords)
    {
        this.builder = builder;
        this.serverName = serverName;
        this.passwords = passwords;
    }

    /// <summary>Creates each service's password (<paramref name="password"/> makes the parameter for a user).</summary>
    public static NatsUsers Add(IDistributedApplicationBuilder builder, string serverName, Func<string, ParameterResource> password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return new NatsUsers(builder, serverName, NatsAccessTable.Services.ToDictionary(s => s.User, s => password(s.User)));
    }

    /// <summary>The login of <paramref name="user"/>, a service of <see cref="NatsAccessTable"/>.</summary>
    public IResourceBuilder<IResourceWithConnectionString> For(string user) =>
        logins.TryGetValue(user, out var login) ? login
            : throw new InfrastructureSetupException($"NATS has no login for '{user}'; the services are {string.Join(", ", logins.Keys)}.");

    public void AttachTo(INatsServerResource server)
    {
        foreach (var (user, password) in passwords)
        {
            var login = builder.AddResource(new NatsUserResource($"{serverName}-{user}", user, password, server))
                // A login, not something that runs: kept off the dashboard's list.
                .WithInitialState(new CustomResourceSnapshot { ResourceType = "NatsUser", Properties = [], IsHidden = true });
            logins[user] = GiiaInfrastructureExtensions.AsConnectionString(builder, login.Resource);
        }
    }

    /// <summary>The <c>authorization</c> block with these logins' passwords, resolved when the server starts.</summary>
    public async Task<string> AuthorizationBlockAsync(string operatorUser, string operatorPassword, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>();
        foreach (var (user, password) in passwords)
        {
            values[user] = await password.GetValueAsync(cancellationToken) ?? "";
        }

        return AuthorizationBlock(operatorUser, operatorPassword, values);
    }

    /// <summary>The <c>authorization</c> block with every password written out (quoted).</summary>
    public static string AuthorizationBlock(string operatorUser, string operatorPassword, IReadOnlyDictionary<string, string> passwords) =>
        NatsAccessTable.AuthorizationBlock(Quote(operatorUser), Quote(operatorPassword), user => Quote(passwords[user]));

    // Passwords are letters and digits (generated so); quoting keeps a '$' or a '#' from meaning anything to the parser.
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c is '"' or '\\' ? $"\\{c}" : c.ToString());
        }

        return text.Append('"').ToString();
    }
}
