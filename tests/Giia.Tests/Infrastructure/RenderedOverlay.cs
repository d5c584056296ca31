using System.Diagnostics;

using k8s;
using k8s.Models;

namespace Giia.Tests.Infrastructure;

/// <summary>One overlay of deploy/k8s as <c>kubectl kustomize</c> renders it, as typed Kubernetes objects.</summary>
public sealed class RenderedOverlay
{
    private RenderedOverlay(string name, List<object> objects)
    {
        Name = name;
        Objects = objects;
    }

    public static readonly string[] Names = ["dev", "staging", "prod"];

    public string Name { get; }

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    /// <summary>Every Deployment, StatefulSet and Job with its pod template.</summary>
    public IEnumerable<(string Kind, string Name, V1PodSpec Pod)> Workloads() =>
        All<V1Deployment>().Select(d => ("Deployment", d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(All<V1StatefulSet>().Select(s => ("StatefulSet", s.Metadata.Name, s.Spec.Template.Spec)))
            .Concat(All<V1Job>().Select(j => ("Job", j.Metadata.Name, j.Spec.Template.Spec)));

    public static async Task<RenderedOverlay> RenderAsync(string overlay)
    {
        var relativePath = Path.Combine("deploy", "k8s", "overlays", overlay);
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
        return new RenderedOverlay(overlay, KubernetesYaml.LoadAllFromString(await output));
    }
}
