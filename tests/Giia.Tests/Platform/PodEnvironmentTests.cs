extern alias authservice;
extern alias ddmrpservice;
extern alias dlqservice;

using System.Collections;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

using Giia.Auth.Client;
using Giia.Data;
using Giia.Events;
using Giia.GrpcApi;
using Giia.Nats;
using Giia.ServiceDefaults;
using Giia.Tests.Infrastructure;

using k8s.Models;

using Microsoft.Extensions.Configuration;

using Accounts = authservice::Giia.Auth.Accounts;
using Audit = authservice::Giia.Auth.Audit;
using CatalogClient = ddmrpservice::Giia.Ddmrp.CatalogClient;
using Email = authservice::Giia.Auth.Email;
using Rbac = authservice::Giia.Auth.Rbac;
using Recalculations = ddmrpservice::Giia.Ddmrp.Recalculations;
using Retry = dlqservice::Giia.DlqWorker.Retry;
using Sessions = authservice::Giia.Auth.Sessions;
using Tokens = authservice::Giia.Auth.Tokens;

namespace Giia.Tests.Platform;

/// <summary>
/// What each pod of each rendered overlay really gets (its generated ConfigMap, its ConfigMap and Secret references):
/// every settings key is one the services read, every key a service needs is there, and the service's options
/// validation passes over that environment, secrets filled with dummies of the right shape.
/// </summary>
public sealed class PodEnvironmentTests
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
        (CatalogClient.CatalogClientOptions.SectionName, typeof(CatalogClient.CatalogClientOptions)),
        (Recalculations.RecalculationOptions.SectionName, typeof(Recalculations.RecalculationOptions)),
        (Sessions.SessionLifetimeOptions.SectionName, typeof(Sessions.SessionLifetimeOptions)),
        (ForwardedHeadersSettings.SectionName, typeof(ForwardedHeadersSettings)),
        (TelemetryOptions.SectionName, typeof(TelemetryOptions)),
    ];

    /// <summary>Keys read directly rather than through an options class.</summary>
    private static readonly string[] FrameworkKeys = ["ASPNETCORE_ENVIRONMENT", GrpcDefaults.ReflectionSetting, NatsClientExtensions.CaFileSetting];

    /// <summary>What each workload cannot run without, in every environment.</summary>
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["auth"] =
        [
            "ConnectionStrings:authdb", "ConnectionStrings:redis", "ConnectionStrings:nats", "Giia:Jwt:SigningKeys:0:KeyId",
            "Giia:Jwt:SigningKeys:0:PrivateKeyPem", "Giia:Audit:PermissionChecks", "Giia:Email:AppBaseUrl", NatsClientExtensions.CaFileSetting,
        ],
        ["catalog"] = ["ConnectionStrings:catalogdb", "ConnectionStrings:nats", "Giia:AuthClient:GrpcAddress", NatsClientExtensions.CaFileSetting],
        ["dlq-worker"] = ["ConnectionStrings:dlqdb", "ConnectionStrings:nats", "Giia:AuthClient:GrpcAddress", NatsClientExtensions.CaFileSetting],
        ["ddmrp"] = ["ConnectionStrings:ddmrpdb", "ConnectionStrings:nats", "Giia:AuthClient:GrpcAddress", NatsClientExtensions.CaFileSetting],
        ["auth-migrate"] = ["ConnectionStrings:authdb", "ConnectionStrings:redis"],
        ["catalog-migrate"] = ["ConnectionStrings:catalogdb"],
        ["dlq-worker-migrate"] = ["ConnectionStrings:dlqdb"],
        ["ddmrp-migrate"] = ["ConnectionStrings:ddmrpdb"],
    };

    /// <summary>And outside the developers' cluster: real mail, alerts.</summary>
    private static readonly Dictionary<string, string[]> RequiredDeployed = new()
    {
        ["auth"] = ["Giia:Email:SmtpHost", "Giia:Email:SmtpPassword", "Giia:RateLimiting:AuthRequestsPerMinute"],
        ["dlq-worker"] = ["Giia:Dlq:AlertWebhookUrl"],
    };

    /// <summary>The options sections each workload binds (and validates at start).</summary>
    private static readonly Dictionary<string, Type[]> SectionsOf = new()
    {
        ["auth"] =
        [
            typeof(Tokens.JwtOptions), typeof(Accounts.PasswordOptions), typeof(Accounts.LockoutOptions), typeof(Accounts.RateLimitingOptions),
            typeof(Email.EmailOptions), typeof(Rbac.PermissionCacheOptions), typeof(Audit.AuditOptions), typeof(EventsOptions),
            typeof(ShutdownOptions), typeof(DemoDataOptions), typeof(Sessions.SessionLifetimeOptions), typeof(ForwardedHeadersSettings),
            typeof(TelemetryOptions),
        ],
        ["catalog"] = [typeof(EventsOptions), typeof(AuthClientOptions), typeof(ShutdownOptions), typeof(DemoDataOptions), typeof(ForwardedHeadersSettings),
            typeof(TelemetryOptions)],
        ["dlq-worker"] = [typeof(Retry.DlqOptions), typeof(EventsOptions), typeof(AuthClientOptions), typeof(ShutdownOptions), typeof(ForwardedHeadersSettings),
            typeof(TelemetryOptions)],
        ["ddmrp"] = [typeof(CatalogClient.CatalogClientOptions), typeof(EventsOptions), typeof(AuthClientOptions), typeof(ShutdownOptions),
            typeof(ForwardedHeadersSettings), typeof(TelemetryOptions)],
        ["auth-migrate"] = [typeof(Accounts.PasswordOptions), typeof(DemoDataOptions)],
        ["catalog-migrate"] = [typeof(DemoDataOptions)],
        ["dlq-worker-migrate"] = [],
        ["ddmrp-migrate"] = [],
    };

    public static TheoryData<string> Environments => new() { "dev", "staging", "prod" };

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task Settings_file_has_only_keys_the_services_read(string environment)
    {
        var overlay = await RenderedOverlay.RenderAsync(environment);
        var settings = Assert.Single(overlay.All<V1ConfigMap>(), c => c.Metadata.Name.StartsWith("giia-config-", StringComparison.Ordinal)).Data;
        var known = Sections.SelectMany(s => Paths(s.Type, s.Section)).ToList();
        var unknown = settings.Keys.Select(k => k.Replace("__", ":", StringComparison.Ordinal))
            .Where(key => !FrameworkKeys.Contains(key) && !key.StartsWith("Logging:LogLevel:", StringComparison.Ordinal)
                && !known.Any(pattern => Regex.IsMatch(key, pattern))).ToList();
        Assert.True(unknown.Count == 0, $"overlays/{environment}/giia.env: keys no service reads: {string.Join(", ", unknown)}");
        Assert.DoesNotContain(settings.Keys, key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || key.Contains("Password", StringComparison.Ordinal)
            || key.Contains("PrivateKey", StringComparison.Ordinal) || key.Contains("ApiKey", StringComparison.Ordinal));
        Assert.Equal(environment == "prod" ? "false" : "true", settings["Giia__Grpc__Reflection"]);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task Every_pod_gets_every_setting_its_service_requires_and_passes_validation(string environment)
    {
        var overlay = await RenderedOverlay.RenderAsync(environment);
        // GIIA's own pods: not NATS, not the psql Job that sets up PostgreSQL's roles (KubernetesManifestTests checks that one).
        var workloads = overlay.Workloads().Where(w => w.Kind != "StatefulSet" && w.Name != "postgres-roles").ToList();
        Assert.Equal(Required.Keys.Order(), workloads.Select(w => w.Name).Order());
        foreach (var (_, name, pod) in workloads)
        {
            var container = Assert.Single(pod.Containers);
            var settings = PodEnvironment.Of(overlay, container);
            var required = environment == "dev" ? Required[name] : [.. Required[name], .. RequiredDeployed.GetValueOrDefault(name, [])];
            var missing = required.Where(key => string.IsNullOrEmpty(settings.GetValueOrDefault(key))).ToList();
            Assert.True(missing.Count == 0, $"{environment}/{name}: the pod lacks {string.Join(", ", missing)}");

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var failures = Sections.Where(s => SectionsOf[name].Contains(s.Type)).SelectMany(s =>
            {
                var options = Activator.CreateInstance(s.Type)!;
                configuration.GetSection(s.Section).Bind(options);
                return ValidatedOptions.Failures(options, s.Section);
            }).ToList();
            Assert.True(failures.Count == 0, $"{environment}/{name}: {string.Join("; ", failures)}");

            if (settings.GetValueOrDefault(NatsClientExtensions.CaFileSetting) is { } caFile && !name.EndsWith("-migrate", StringComparison.Ordinal))
            {
                // The CA file is where a volume is mounted.
                Assert.Contains(container.VolumeMounts, m => caFile.StartsWith(m.MountPath + "/", StringComparison.Ordinal));
            }

            if (name == "auth")
            {
                var jwt = configuration.GetSection(Tokens.JwtOptions.SectionName).Get<Tokens.JwtOptions>()!;
                Assert.Equal(2, jwt.SigningKeys.Count);
                foreach (var key in jwt.SigningKeys)
                {
                    using var ecdsa = ECDsa.Create();
                    ecdsa.ImportFromPem(key.PrivateKeyPem);
                }

                var email = configuration.GetSection(Email.EmailOptions.SectionName).Get<Email.EmailOptions>()!;
                if (environment != "dev")
                {
                    Assert.Equal(("smtp", "starttls", "https"), (email.Provider, email.SmtpSecurity, email.AppBaseUrl.Scheme));
                    Assert.False(email.AppBaseUrl.IsLoopback);
                }
                else
                {
                    // The developers' cluster writes mail into the pod's writable /tmp (the root filesystem is read-only).
                    Assert.StartsWith("/tmp/", email.PickupDirectory, StringComparison.Ordinal);
                }
            }
        }
    }

    /// <summary>Regex patterns of every configuration key an options type binds (list items: any index).</summary>
    private static IEnumerable<string> Paths(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var path = $"{Regex.Escape(prefix)}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsGenericType && typeof(IEnumerable).IsAssignableFrom(propertyType) && propertyType.GetGenericArguments()[0] == typeof(string))
            {
                yield return $@"^{path}:\d+$";
            }
            else if (propertyType.IsGenericType && typeof(IEnumerable).IsAssignableFrom(propertyType) && propertyType.GetGenericArguments()[0] is { IsClass: true } item
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
}
