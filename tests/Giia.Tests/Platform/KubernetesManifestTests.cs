using System.Diagnostics;
using System.Text.Json;

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
        var objects = KubernetesYaml.LoadAllFromString(await KustomizeAsync(Path.Combine("deploy", "k8s", "overlays", overlay)));
        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root(), "aspire-manifest.json")));
        var projects = manifest.RootElement.GetProperty("resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("type").GetString() == "project.v0").ToList();
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

        foreach (var scaled in new[] { "auth", "catalog" })
        {
            Assert.Contains(objects.OfType<V2HorizontalPodAutoscaler>(), h => h.Spec.ScaleTargetRef.Name == scaled);
            Assert.Contains(objects.OfType<V1PodDisruptionBudget>(), p => p.Metadata.Name == scaled);
        }

        var nats = Assert.Single(objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == "nats");
        Assert.Equal(3, nats.Spec.Replicas);
        Assert.Empty(objects.OfType<V1Secret>());
        var config = Assert.Single(objects.OfType<V1ConfigMap>(), c => c.Metadata.Name == "giia-config");
        Assert.Equal(overlay == "prod" ? "false" : "true", config.Data["Giia__Grpc__Reflection"]);
    }

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

    private static async Task<string> KustomizeAsync(string relativePath)
    {
        using var process = Process.Start(new ProcessStartInfo("kubectl", ["kustomize", relativePath])
        {
            WorkingDirectory = RepositoryPaths.Root(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("kubectl could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {relativePath} failed: {await error}");
        return await output;
    }
}
