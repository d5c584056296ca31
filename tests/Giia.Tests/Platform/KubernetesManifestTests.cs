using System.Text.Json;

using Giia.AppHost.Infrastructure;
using Giia.Events.Access;
using Giia.Tests.Infrastructure;

using k8s;
using k8s.Models;

namespace Giia.Tests.Platform;

/// <summary>
/// The kept Kubernetes tree (deploy/k8s) against aspire-manifest.json: every project resource has a Deployment whose
/// ports and environment keys match, Services for HTTP and gRPC, probes, a non-root pod and a grace period above the
/// shutdown timeout; every document parses as a typed Kubernetes object; each overlay builds (kubectl kustomize).
/// </summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => new() { "dev", "staging", "prod" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_builds_and_matches_the_manifest(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var objects = rendered.Objects;
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root(), "aspire-manifest.json")));
        var projects = manifest.RootElement.GetProperty("resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("type").GetString() == "project.v0" && !IsMigration(r.Value)).ToList();
        Assert.NotEmpty(projects);
        var deployments = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        var services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name);
        foreach (var project in projects)
        {
            var name = project.Name;
            Assert.True(deployments.TryGetValue(name, out var deployment), $"{overlay}: no Deployment for {name}");
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            var bindings = project.Value.GetProperty("bindings").EnumerateObject()
                .ToDictionary(b => b.Name, b => b.Value.GetProperty("targetPort").GetInt32());
            Assert.Equal(bindings.OrderBy(b => b.Key), container.Ports.Select(p => KeyValuePair.Create(p.Name, p.ContainerPort)).OrderBy(p => p.Key));

            var envNames = container.Env.Select(e => e.Name).ToHashSet();
            var missing = project.Value.GetProperty("env").EnumerateObject().Select(e => e.Name).Where(n => !envNames.Contains(n)).ToList();
            Assert.True(missing.Count == 0, $"{overlay}/{name}: environment keys of the manifest missing: {string.Join(", ", missing)}");
            Assert.All(container.Env.Where(e => e.ValueFrom?.SecretKeyRef is not null), e => Assert.Equal("giia-secrets", e.ValueFrom.SecretKeyRef.Name));

            Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
            Assert.NotNull(container.StartupProbe);
            Assert.NotNull(container.Resources.Requests);
            Assert.NotNull(container.Resources.Limits);
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.True(pod.TerminationGracePeriodSeconds > 30, $"{name}: the grace period must outlast the 30 s shutdown");

            Assert.Equal(bindings["http"], Assert.Single(services[name].Spec.Ports, p => p.Name == "http").Port);
            if (bindings.TryGetValue("grpc", out var grpcPort))
            {
                var grpc = Assert.Single(services[$"{name}-grpc"].Spec.Ports);
                Assert.Equal(("grpc", grpcPort, "grpc"), (grpc.Name, grpc.Port, grpc.AppProtocol));
            }
        }

        foreach (var scaled in new[] { "auth", "catalog", "ddmrp" })
        {
            Assert.Contains(objects.OfType<V2HorizontalPodAutoscaler>(), h => h.Spec.ScaleTargetRef.Name == scaled);
            Assert.Contains(objects.OfType<V1PodDisruptionBudget>(), p => p.Metadata.Name == scaled);
        }

        var nats = Assert.Single(objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == "nats");
        Assert.Equal(3, nats.Spec.Replicas);
        Assert.Empty(objects.OfType<V1Secret>());
        var config = Assert.Single(objects.OfType<V1ConfigMap>(), c => c.Metadata.Name.StartsWith("giia-config-", StringComparison.Ordinal));
        Assert.Equal(overlay == "prod" ? "false" : "true", config.Data["Giia__Grpc__Reflection"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_migration_resource_of_the_manifest_is_a_Job_running_the_service_image_with_migrate(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root(), "aspire-manifest.json")));
        var migrations = manifest.RootElement.GetProperty("resources").EnumerateObject().Where(r => IsMigration(r.Value)).ToList();
        Assert.Equal(["auth-migrate", "catalog-migrate", "ddmrp-migrate", "dlq-worker-migrate"], migrations.Select(m => m.Name).Order());
        var deployments = rendered.All<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        foreach (var migration in migrations)
        {
            var job = Assert.Single(rendered.All<V1Job>(), j => j.Metadata.Name == migration.Name);
            var container = Assert.Single(job.Spec.Template.Spec.Containers);
            Assert.Equal(["migrate"], container.Args);
            Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
            var service = deployments[migration.Name[..^"-migrate".Length]].Spec.Template.Spec.Containers[0];
            Assert.Equal(service.Image, container.Image);
            var missing = migration.Value.GetProperty("env").EnumerateObject().Select(e => e.Name)
                .Except(container.Env.Select(e => e.Name)).ToList();
            Assert.True(missing.Count == 0, $"{overlay}/{migration.Name}: environment keys of the manifest missing: {string.Join(", ", missing)}");
            Assert.Empty(container.Ports ?? []);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Autoscaled_Deployments_leave_replicas_to_the_HPA_and_images_are_pinned(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var scaled = rendered.All<V2HorizontalPodAutoscaler>().Select(h => h.Spec.ScaleTargetRef.Name).ToHashSet();
        Assert.NotEmpty(scaled);
        Assert.All(rendered.All<V1Deployment>().Where(d => scaled.Contains(d.Metadata.Name)),
            d => Assert.True(d.Spec.Replicas is null, $"{overlay}/{d.Metadata.Name}: spec.replicas beside an HPA resets it at every apply"));

        foreach (var (kind, name, pod) in rendered.Workloads())
        {
            foreach (var container in pod.Containers)
            {
                // A digest, or a tag that names a release (a version): never latest, dev, staging, main or none.
                Assert.Matches(@"(@sha256:[0-9a-f]{64}|:v?\d+\.\d+\.\d+[-.0-9a-z]*)$", container.Image);
                Assert.Equal("IfNotPresent", container.ImagePullPolicy);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task NATS_is_closed_and_every_flow_passes_a_NetworkPolicy(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var config = Assert.Single(rendered.All<V1ConfigMap>(), c => c.Metadata.Name == "nats-config").Data["nats.conf"];
        var cluster = config[config.IndexOf("cluster {", StringComparison.Ordinal)..];
        // Each service logs in as itself with exactly the grants of the table the local servers are made from.
        var users = NatsAccessTable.AuthorizationBlock("$NATS_OPERATOR_USER", "$NATS_OPERATOR_PASSWORD", NatsAccessTable.PasswordVariable);
        Assert.True(Collapsed(config).Contains(Collapsed(users), StringComparison.Ordinal),
            $"{overlay}: nats.conf's authorization block is not NatsAccessTable's; it should read:\n{users}");
        Assert.Contains("authorization {", cluster, StringComparison.Ordinal);
        Assert.Contains("verify: true", cluster, StringComparison.Ordinal);
        Assert.Contains("tls {", config[..config.IndexOf("cluster {", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.DoesNotContain(rendered.All<V1Service>().SelectMany(s => s.Spec.Ports), p => p.Port == 8222);
        var nats = Assert.Single(rendered.All<V1StatefulSet>(), s => s.Metadata.Name == "nats");
        Assert.Contains(nats.Spec.Template.Spec.Volumes, v => v.Secret?.SecretName == "nats-tls");
        Assert.DoesNotContain(nats.Spec.Template.Spec.Containers[0].Args, a => a.Contains("pass", StringComparison.OrdinalIgnoreCase));
        var natsEnvironment = nats.Spec.Template.Spec.Containers[0].Env.Select(e => e.Name).ToHashSet();
        Assert.All(NatsAccessTable.Services, s => Assert.Contains(NatsAccessTable.PasswordVariable(s.User)[1..], natsEnvironment));

        var policies = rendered.All<V1NetworkPolicy>().ToList();
        var deny = Assert.Single(policies, p => p.Metadata.Name == "default-deny");
        Assert.Empty(deny.Spec.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Equal(["Egress", "Ingress"], deny.Spec.PolicyTypes.Order());
        Assert.Null(deny.Spec.Ingress);
        Assert.Null(deny.Spec.Egress);

        // The flows the system needs, each admitted on both ends (egress of the caller, ingress of the callee).
        (string From, string To, int Port)[] flows =
        [
            ("auth", "nats", 4222), ("catalog", "nats", 4222), ("dlq-worker", "nats", 4222), ("ddmrp", "nats", 4222),
            ("catalog", "auth", 9091), ("catalog", "auth", 8083), ("dlq-worker", "auth", 9091), ("dlq-worker", "auth", 8083), ("ddmrp", "auth", 9091), ("ddmrp", "auth", 8083),
            ("ddmrp", "catalog", 9092), ("nats", "nats", 6222),
        ];
        foreach (var (from, to, port) in flows)
        {
            Assert.True(policies.Any(p => Selects(p, from) && (p.Spec.Egress ?? []).Any(e => Admits(e.To, e.Ports, to, port))),
                $"{overlay}: no egress policy lets {from} reach {to}:{port}");
            Assert.True(policies.Any(p => Selects(p, to) && (p.Spec.Ingress ?? []).Any(i => Admits(i.FromProperty, i.Ports, from, port))),
                $"{overlay}: no ingress policy lets {to} accept {from} on {port}");
        }

        // Not needed, so not allowed: Catalog has no business with Redis, nobody but NATS with its routes.
        Assert.DoesNotContain(policies, p => Selects(p, "catalog") && (p.Spec.Egress ?? []).Any(e => (e.Ports ?? []).Any(x => x.Port == "6379")));
        Assert.DoesNotContain(policies, p => Selects(p, "nats") && (p.Spec.Ingress ?? []).Any(i => Admits(i.FromProperty, i.Ports, "catalog", 6222)));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task PostgreSQL_roles_are_the_AppHosts_and_only_their_Job_holds_the_administrators_login(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root(), "aspire-manifest.json")));
        var databases = manifest.RootElement.GetProperty("resources").EnumerateObject()
            .Where(r => r.Name.EndsWith("-owner", StringComparison.Ordinal) && r.Value.GetProperty("type").GetString() == "value.v0")
            .Select(r => new DatabaseRoles(r.Name[..^"-owner".Length])).ToList();
        Assert.Equal(["authdb", "catalogdb", "dlqdb", "ddmrpdb"], databases.Select(d => d.Database));

        // The script the Job runs is the AppHost's set-up, rendered.
        var script = Assert.Single(rendered.All<V1ConfigMap>(), c => c.Metadata.Name.StartsWith("postgres-roles", StringComparison.Ordinal)).Data["roles.sql"];
        Assert.True(script == DatabaseRoles.PsqlScript(databases),
            $"{overlay}: deploy/k8s/base/postgres-roles.sql is not DatabaseRoles.PsqlScript's; it should read:\n{DatabaseRoles.PsqlScript(databases)}");
        var job = Assert.Single(rendered.All<V1Job>(), j => j.Metadata.Name == "postgres-roles");
        var roles = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Contains(job.Spec.Template.Spec.Volumes, v => v.ConfigMap?.Name.StartsWith("postgres-roles", StringComparison.Ordinal) == true);
        foreach (var role in databases.SelectMany(d => new[] { d.Owner, d.Application }))
        {
            Assert.Contains(roles.Env, e => e.Name == DatabaseRoles.PasswordVariable(role)
                && e.ValueFrom.SecretKeyRef is { Name: "postgres-credentials" } key && key.Key == $"{role}-password");
        }

        // Services log in as their application role, migrations as the owner; nobody else sees the administrator.
        foreach (var (_, name, pod) in rendered.Workloads().Where(w => w.Name != "postgres-roles"))
        {
            var references = pod.Containers.SelectMany(c => c.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>().ToList();
            Assert.DoesNotContain(references, r => r.Name == "postgres-credentials");
            Assert.DoesNotContain(references, r => r.Key.Contains("postgres-password", StringComparison.Ordinal));
        }

        foreach (var database in databases)
        {
            var service = database.Database switch { "dlqdb" => "dlq-worker", var d => d[..^2] };
            var deployment = Assert.Single(rendered.All<V1Deployment>(), d => d.Metadata.Name == service).Spec.Template.Spec.Containers[0];
            Assert.Contains(deployment.Env, e => e.Name == $"ConnectionStrings__{database.Database}" && e.ValueFrom.SecretKeyRef.Key == $"{database.Database}-connection");
            var migration = Assert.Single(rendered.All<V1Job>(), j => j.Metadata.Name == $"{service}-migrate").Spec.Template.Spec.Containers[0];
            Assert.Contains(migration.Env, e => e.Name == $"ConnectionStrings__{database.Database}" && e.ValueFrom.SecretKeyRef.Key == $"{database.Database}-migrate-connection");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Auth_clients_resolve_every_Auth_pod_through_a_headless_Service(string overlay)
    {
        var rendered = await RenderedOverlay.RenderAsync(overlay);
        var headless = Assert.Single(rendered.All<V1Service>(), s => s.Metadata.Name == "auth-grpc-pods");
        Assert.Equal("None", headless.Spec.ClusterIP);
        var config = Assert.Single(rendered.All<V1ConfigMap>(), c => c.Metadata.Name.StartsWith("giia-config", StringComparison.Ordinal));
        var port = Assert.Single(headless.Spec.Ports).Port;
        Assert.Equal($"dns:///auth-grpc-pods:{port}", config.Data["Giia__AuthClient__GrpcAddress"]);

        var auth = Assert.Single(rendered.All<V1Deployment>(), d => d.Metadata.Name == "auth").Spec.Template.Spec.Containers[0];
        foreach (var slot in new[] { "0", "1" })
        {
            Assert.Contains(auth.Env, e => e.Name == $"Giia__Jwt__SigningKeys__{slot}__KeyId" && e.ValueFrom.SecretKeyRef is not null);
            Assert.Contains(auth.Env, e => e.Name == $"Giia__Jwt__SigningKeys__{slot}__PrivateKeyPem" && e.ValueFrom.SecretKeyRef is not null);
        }
    }

    [Fact]
    public async Task Every_secret_key_a_pod_reads_is_documented_in_the_example_files()
    {
        foreach (var overlay in RenderedOverlay.Names)
        {
            var rendered = await RenderedOverlay.RenderAsync(overlay);
            foreach (var (_, name, pod) in rendered.Workloads())
            {
                foreach (var reference in pod.Containers.SelectMany(c => c.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>())
                {
                    var documented = await PodEnvironment.DocumentedSecretKeysAsync(reference.Name);
                    Assert.True(documented.TryGetValue(reference.Key, out var optional), $"{overlay}/{name}: {reference.Name}/{reference.Key} is not in its example file");
                    Assert.Equal(reference.Optional ?? false, optional);
                }
            }
        }
    }

    private static string Collapsed(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private static bool IsMigration(JsonElement resource) =>
        resource.TryGetProperty("args", out var args) && args.EnumerateArray().Any(a => a.GetString() == "migrate");

    private static bool Selects(V1NetworkPolicy policy, string app) => Matches(policy.Spec.PodSelector, app);

    private static bool Matches(V1LabelSelector? selector, string app) =>
        selector is not null
        && (selector.MatchLabels is null || selector.MatchLabels.All(l => l.Key == "app.kubernetes.io/name" && l.Value == app))
        && (selector.MatchExpressions ?? []).All(e => e.Key == "app.kubernetes.io/name" && e.OperatorProperty == "In" && e.Values.Contains(app));

    private static bool Admits(IList<V1NetworkPolicyPeer>? peers, IList<V1NetworkPolicyPort>? ports, string app, int port) =>
        (ports ?? []).Any(p => p.Port == port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        && (peers ?? []).Any(peer => peer.NamespaceSelector is null && peer.IpBlock is null && Matches(peer.PodSelector, app));

    [Fact]
    public async Task Every_base_document_is_a_typed_Kubernetes_object()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root(), "deploy", "k8s", "base"), "*.yaml"))
        {
            if (Path.GetFileName(file) == "kustomization.yaml")
            {
                continue;
            }

            var objects = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(file));
            Assert.NotEmpty(objects);
            Assert.All(objects, o => Assert.False(string.IsNullOrEmpty(((IKubernetesObject)o).Kind), file));
        }
    }
}
