extern alias authservice;
extern alias dlqservice;

using System.Collections;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

using Giia.Auth.Client;
using Giia.Events;
using Giia.ServiceDefaults;
using Giia.Tests.Infrastructure;

using Microsoft.Extensions.Configuration;

using Accounts = authservice::Giia.Auth.Accounts;
using Audit = authservice::Giia.Auth.Audit;
using Email = authservice::Giia.Auth.Email;
using Rbac = authservice::Giia.Auth.Rbac;
using Retry = dlqservice::Giia.DlqWorker.Retry;
using Tokens = authservice::Giia.Auth.Tokens;

namespace Giia.Tests.Platform;

/// <summary>
/// deploy/environments/.env.{dev,staging,prod}: placeholders filled with dummies, every key is one the services read,
/// every key they need is there, and the services' options validation passes over the result.
/// </summary>
public sealed partial class EnvironmentFileTests
{
    /// <summary>Every options section of the three services, with the type it binds to.</summary>
    private static readonly (string Section, Type Type)[] Sections =
    [
        (Tokens.JwtOptions.SectionName, typeof(Tokens.JwtOptions)),
        (Accounts.PasswordOptions.SectionName, typeof(Accounts.PasswordOptions)),
        (Accounts.LockoutOptions.SectionName, typeof(Accounts.LockoutOptions)),
        (Accounts.RateLimitingOptions.SectionName, typeof(Accounts.RateLimitingOptions)),
        (Email.EmailOptions.SectionName, typeof(Email.EmailOptions)),
        (Rbac.PermissionCacheOptions.SectionName, typeof(Rbac.PermissionCacheOptions)),
        (Audit.AuditOptions.SectionName, typeof(Audit.AuditOptions)),
        (Retry.DlqOptions.SectionName, typeof(Retry.DlqOptions)),
        (EventsOptions.SectionName, typeof(EventsOptions)),
        (AuthClientOptions.SectionName, typeof(AuthClientOptions)),
        (ShutdownOptions.SectionName, typeof(ShutdownOptions)),
        (DemoDataOptions.SectionName, typeof(DemoDataOptions)),
    ];

    /// <summary>Keys read directly rather than through an options class.</summary>
    private static readonly string[] FrameworkKeys =
    [
        "ASPNETCORE_ENVIRONMENT", "ConnectionStrings:authdb", "ConnectionStrings:catalogdb", "ConnectionStrings:dlqdb",
        "ConnectionStrings:redis", "ConnectionStrings:nats", GrpcDefaults.ReflectionSetting,
    ];

    private static readonly string[] RequiredEverywhere =
    [
        "ASPNETCORE_ENVIRONMENT", "ConnectionStrings:authdb", "ConnectionStrings:catalogdb", "ConnectionStrings:dlqdb",
        "ConnectionStrings:redis", "ConnectionStrings:nats", GrpcDefaults.ReflectionSetting,
        "Giia:Audit:PermissionChecks",
    ];

    private static readonly string[] RequiredDeployed =
    [
        "Giia:Jwt:SigningKeys:0:KeyId", "Giia:Jwt:SigningKeys:0:PrivateKeyPem", "Giia:Email:SmtpHost", "Giia:Email:SmtpPassword",
        "Giia:RateLimiting:AuthRequestsPerMinute",
    ];

    public static TheoryData<string> Environments => new() { "dev", "staging", "prod" };

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task Environment_file_has_only_known_keys_all_required_ones_and_passes_validation(string environment)
    {
        var settings = await LoadAsync(Path.Combine(RepositoryPaths.Root(), "deploy", "environments", $".env.{environment}"));

        var known = Sections.SelectMany(s => Paths(s.Type, s.Section)).ToList();
        var unknown = settings.Keys.Where(key => !FrameworkKeys.Contains(key) && !key.StartsWith("Logging:LogLevel:", StringComparison.Ordinal)
            && !known.Any(pattern => Regex.IsMatch(key, pattern))).ToList();
        Assert.True(unknown.Count == 0, $".env.{environment}: keys no service reads: {string.Join(", ", unknown)}");

        var required = environment == "dev" ? RequiredEverywhere : [.. RequiredEverywhere, .. RequiredDeployed];
        var missing = required.Where(key => !settings.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0, $".env.{environment}: missing {string.Join(", ", missing)}");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var failures = Sections.SelectMany(s =>
        {
            var options = Activator.CreateInstance(s.Type)!;
            configuration.GetSection(s.Section).Bind(options);
            return ValidatedOptions.Failures(options, s.Section);
        }).ToList();
        Assert.True(failures.Count == 0, $".env.{environment}: {string.Join("; ", failures)}");

        Assert.Equal(environment == "prod" ? "false" : "true", settings[GrpcDefaults.ReflectionSetting]);
        if (environment != "dev")
        {
            // The signing key placeholder filled with a real P-256 key must load, as Auth will load it.
            using var key = ECDsa.Create();
            key.ImportFromPem(settings["Giia:Jwt:SigningKeys:0:PrivateKeyPem"]);
            Assert.Equal("smtp", settings["Giia:Email:Provider"]);
        }
    }

    /// <summary>KEY=VALUE lines in environment form ("__" for ":"), placeholders replaced by dummies of the right shape.</summary>
    private static async Task<Dictionary<string, string?>> LoadAsync(string file)
    {
        using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var dummies = new Dictionary<string, string>
        {
            ["JWT_SIGNING_KEY_PEM"] = signingKey.ExportPkcs8PrivateKeyPem(),
            ["NATS_URL"] = "nats://giia:secret@nats:4222",
            ["DLQ_ALERT_WEBHOOK_URL"] = "https://alerts.example.com/giia",
            ["REDIS_CONNECTION_STRING"] = "redis:6379,password=secret",
        };
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in await File.ReadAllLinesAsync(file))
        {
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var at = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(at > 0, $"{file}: not KEY=VALUE: {line}");
            var value = Placeholder().Replace(line[(at + 1)..], m => dummies.TryGetValue(m.Groups[1].Value, out var dummy) ? dummy
                : m.Groups[1].Value.EndsWith("CONNECTION_STRING", StringComparison.Ordinal) ? "Host=db;Database=giia;Username=giia;Password=secret"
                : "dummy-secret-value-0123456789");
            settings[line[..at].Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        return settings;
    }

    /// <summary>Regex patterns of every configuration key an options type binds (list items: any index).</summary>
    private static IEnumerable<string> Paths(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = $"{Regex.Escape(prefix)}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsGenericType && typeof(IEnumerable).IsAssignableFrom(propertyType) && propertyType.GetGenericArguments()[0] is { IsClass: true } item
                && item != typeof(string))
            {
                foreach (var nested in Paths(item, "§"))
                {
                    yield return nested.Replace("§", $@"{path}:\d+", StringComparison.Ordinal);
                }
            }
            else if (propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri) && propertyType != typeof(byte[]))
            {
                foreach (var nested in Paths(propertyType, "§"))
                {
                    yield return nested.Replace("§", path, StringComparison.Ordinal);
                }
            }
            else
            {
                yield return $"^{path}$";
            }
        }
    }

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
