using System.Security.Cryptography;

using k8s.Models;

namespace Giia.Tests.Infrastructure;

/// <summary>
/// The environment a container of a rendered overlay gets: its ConfigMaps (envFrom and configMapKeyRef) as rendered,
/// and its secret references filled with dummies of the right shape, keyed in .NET configuration form (":").
/// </summary>
public static class PodEnvironment
{
    public static Dictionary<string, string?> Of(RenderedOverlay overlay, V1Container container)
    {
        var configMaps = overlay.All<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data ?? new Dictionary<string, string>());
        var environment = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in container.EnvFrom ?? [])
        {
            Assert.True(configMaps.TryGetValue(source.ConfigMapRef.Name, out var data), $"envFrom names a ConfigMap that is not rendered: {source.ConfigMapRef.Name}");
            foreach (var (key, value) in data)
            {
                environment[Key(key)] = value;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            environment[Key(variable.Name)] = variable.ValueFrom switch
            {
                null => variable.Value,
                { ConfigMapKeyRef: { } reference } => configMaps[reference.Name][reference.Key],
                { SecretKeyRef: { } reference } => Dummy(reference.Key),
                { FieldRef: { } } => "field",
                _ => throw new InvalidOperationException($"{variable.Name}: a value source the test does not know"),
            };
        }

        return environment;
    }

    /// <summary>The keys of deploy/k8s/{secret}.example.env, each with whether it is optional (<c># optional: key=</c>).</summary>
    public static async Task<Dictionary<string, bool>> DocumentedSecretKeysAsync(string secret)
    {
        var file = Path.Combine(RepositoryPaths.Root(), "deploy", "k8s", $"{secret}.example.env");
        Assert.True(File.Exists(file), $"no example file for the Secret {secret}: {file}");
        var keys = new Dictionary<string, bool>();
        foreach (var line in await File.ReadAllLinesAsync(file))
        {
            var optional = line.StartsWith("# optional: ", StringComparison.Ordinal);
            var entry = optional ? line["# optional: ".Length..] : line;
            if ((optional || !line.StartsWith('#')) && entry.IndexOf('=', StringComparison.Ordinal) is > 0 and var at)
            {
                keys[entry[..at]] = optional;
            }
        }

        return keys;
    }

    private static string Key(string name) => name.Replace("__", ":", StringComparison.Ordinal);

    private static string Dummy(string secretKey) => secretKey switch
    {
        _ when secretKey.EndsWith("signing-key-pem", StringComparison.Ordinal) => NewSigningKeyPem(),
        _ when secretKey.EndsWith("signing-key-id", StringComparison.Ordinal) => $"kid-{secretKey}",
        "redis-connection" => "redis:6379,password=secret",
        _ when secretKey.StartsWith("nats-", StringComparison.Ordinal) && secretKey.EndsWith("-connection", StringComparison.Ordinal)
            => $"tls://{secretKey["nats-".Length..^"-connection".Length]}:secret@nats:4222",
        _ when secretKey.EndsWith("db-connection", StringComparison.Ordinal) => "Host=db;Database=giia;Username=giia;Password=secret",
        "dlq-alert-webhook-url" => "https://alerts.example.com/giia",
        "smtp-host" => "smtp.example.com",
        _ => "dummy-secret-value-0123456789",
    };

    private static string NewSigningKeyPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }
}
