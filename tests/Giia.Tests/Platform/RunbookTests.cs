using System.Text.RegularExpressions;

using Giia.Tests.Infrastructure;

using k8s.Models;

namespace Giia.Tests.Platform;

/// <summary>
/// The runbooks describe the tree as it is: every object (<c>deploy/auth</c>, <c>svc/nats</c>, <c>job/...</c>,
/// <c>pod/nats-0</c>, label selectors, Secrets), every port they forward or name, every repository path and every tool
/// they use exists in the rendered prod overlay, the repository, or the runbooks' list of tools.
/// </summary>
public sealed partial class RunbookTests
{
    [Fact]
    public async Task Names_ports_paths_and_tools_in_the_runbooks_exist()
    {
        var prod = await RenderedOverlay.RenderAsync("prod");
        var root = RepositoryPaths.Root();
        var runbooks = Directory.GetFiles(Path.Combine(root, "docs", "runbooks"), "*.md");
        var tools = await File.ReadAllTextAsync(Path.Combine(root, "docs", "runbooks", "README.md"));
        var namespaceName = prod.All<V1Deployment>().Select(d => d.Metadata.NamespaceProperty).Distinct().Single();
        var secrets = prod.Workloads().SelectMany(w => w.Pod.Containers.SelectMany(c => c.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef?.Name)
            .Concat(w.Pod.Volumes?.Select(v => v.Secret?.SecretName) ?? [])).OfType<string>().ToHashSet();
        var problems = new List<string>();
        foreach (var file in runbooks)
        {
            var text = await File.ReadAllTextAsync(file);
            var name = Path.GetFileName(file);
            foreach (Match reference in ObjectReference().Matches(text))
            {
                var (kind, objectName) = (reference.Groups[1].Value, reference.Groups[2].Value);
                if (!Exists(prod, kind, objectName) && !Directory.Exists(Path.Combine(root, reference.Value)))
                {
                    problems.Add($"{name}: {kind}/{objectName} is not in the prod overlay");
                }
            }

            foreach (Match forward in PortForward().Matches(text))
            {
                var (kind, objectName, port) = (forward.Groups[1].Value, forward.Groups[2].Value, int.Parse(forward.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture));
                if (!Ports(prod, kind, objectName).Contains(port))
                {
                    problems.Add($"{name}: {kind}/{objectName} has no port {port}");
                }
            }

            foreach (Match selector in LabelSelector().Matches(text))
            {
                var (key, value) = (selector.Groups[1].Value, selector.Groups[2].Value);
                if (!prod.Objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>().Any(o => o.Metadata.Labels is { } labels && labels.TryGetValue(key, out var found) && found == value))
                {
                    problems.Add($"{name}: nothing is labelled {key}={value}");
                }
            }

            foreach (Match secret in SecretName().Matches(text))
            {
                if (!secrets.Contains(secret.Groups[1].Value))
                {
                    problems.Add($"{name}: the Secret {secret.Groups[1].Value} is used by no pod");
                }
            }

            foreach (Match path in RepositoryPath().Matches(text))
            {
                var relative = path.Groups[1].Value.Replace("$ENV", "prod", StringComparison.Ordinal).TrimEnd('.', ',', ')');
                if (!File.Exists(Path.Combine(root, relative)) && !Directory.Exists(Path.Combine(root, relative)))
                {
                    problems.Add($"{name}: {relative} does not exist");
                }
            }

            foreach (Match ns in Namespace().Matches(text))
            {
                if (ns.Groups[1].Value != namespaceName && ns.Groups[1].Value != "$NS")
                {
                    problems.Add($"{name}: -n {ns.Groups[1].Value} is not the prod namespace {namespaceName}");
                }
            }

            foreach (Match block in CodeBlock().Matches(text))
            {
                foreach (var line in block.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
                {
                    var tool = line.Split(' ')[0];
                    if (tool.Contains('=', StringComparison.Ordinal) || tool is "&&" or "}" or "{" || !char.IsLetter(tool[0]) || line.StartsWith(tool + ":", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (!tools.Contains($"`{tool}`", StringComparison.Ordinal))
                    {
                        problems.Add($"{name}: the tool {tool} is not in the runbooks' list of tools (README.md)");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Distinct()));
    }

    private static bool Exists(RenderedOverlay overlay, string kind, string name) => kind switch
    {
        "deploy" or "deployment" => overlay.All<V1Deployment>().Any(d => d.Metadata.Name == name),
        "statefulset" or "sts" => overlay.All<V1StatefulSet>().Any(s => s.Metadata.Name == name),
        "svc" or "service" => overlay.All<V1Service>().Any(s => s.Metadata.Name == name),
        "job" => overlay.All<V1Job>().Any(j => j.Metadata.Name == name),
        "hpa" => overlay.All<V2HorizontalPodAutoscaler>().Any(h => h.Metadata.Name == name),
        "certificate" => name == "nats-tls",
        "pod" => overlay.All<V1StatefulSet>().Any(s => Regex.IsMatch(name, $"^{s.Metadata.Name}-\\d+$")
            && int.Parse(name[(s.Metadata.Name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture) < s.Spec.Replicas),
        _ => false,
    };

    private static HashSet<int> Ports(RenderedOverlay overlay, string kind, string name) => kind switch
    {
        "svc" => overlay.All<V1Service>().Where(s => s.Metadata.Name == name).SelectMany(s => s.Spec.Ports).Select(p => p.Port).ToHashSet(),
        "pod" => overlay.All<V1StatefulSet>().Where(s => name.StartsWith(s.Metadata.Name + "-", StringComparison.Ordinal))
            .SelectMany(s => s.Spec.Template.Spec.Containers.SelectMany(c => c.Ports)).Select(p => p.ContainerPort).ToHashSet(),
        _ => overlay.All<V1Deployment>().Where(d => d.Metadata.Name == name)
            .SelectMany(d => d.Spec.Template.Spec.Containers.SelectMany(c => c.Ports)).Select(p => p.ContainerPort).ToHashSet(),
    };

    [GeneratedRegex(@"(?<![\w/.-])(deploy|deployment|statefulset|sts|svc|service|job|hpa|pod|certificate)/([a-z0-9][a-z0-9-]*[a-z0-9])")]
    private static partial Regex ObjectReference();

    [GeneratedRegex(@"port-forward (svc|pod|deploy)/([a-z0-9-]+) (\d+)")]
    private static partial Regex PortForward();

    [GeneratedRegex(@"-l '?(app\.kubernetes\.io/[a-z-]+)=([a-z0-9-]+)")]
    private static partial Regex LabelSelector();

    [GeneratedRegex(@"(?:create secret generic|get secret) ([a-z0-9-]+)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"`((?:deploy|docs|src|scripts)/[^`\s]+)")]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"kubectl -n ([A-Za-z0-9$-]+)")]
    private static partial Regex Namespace();

    [GeneratedRegex(@"```(?:bash|sh)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
