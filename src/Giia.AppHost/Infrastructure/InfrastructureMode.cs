using System.Diagnostics;

using Microsoft.Extensions.Configuration;

namespace Giia.AppHost.Infrastructure;

/// <summary>How the AppHost runs PostgreSQL, Redis and NATS: in containers, or as processes from the machine's packages.</summary>
public enum InfrastructureMode
{
    Containers,
    Local,
}

internal static class InfrastructureModeSelector
{
    public const string SettingKey = "Giia:Infrastructure";

    /// <summary>
    /// Publishing always describes containers. Otherwise <c>Giia:Infrastructure</c> decides
    /// (<c>auto</c>, <c>containers</c>, <c>local</c>); <c>auto</c> asks the container runtime whether it answers.
    /// </summary>
    public static InfrastructureMode Select(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return InfrastructureMode.Containers;
        }

        var setting = builder.Configuration[SettingKey]?.Trim().ToLowerInvariant() ?? "auto";
        return setting switch
        {
            "containers" => InfrastructureMode.Containers,
            "local" => InfrastructureMode.Local,
            "auto" or "" => ContainerRuntimeAnswers(builder.Configuration) ? InfrastructureMode.Containers : InfrastructureMode.Local,
            _ => throw new InfrastructureSetupException(
                $"{SettingKey} must be 'auto', 'containers' or 'local' (was '{setting}')."),
        };
    }

    private static bool ContainerRuntimeAnswers(IConfiguration configuration)
    {
        var runtime = configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the runtime's client is not installed
        }
    }
}

/// <summary>A problem with the machine (a missing package, a bad setting) reported as one line, not a stack trace.</summary>
public sealed class InfrastructureSetupException(string message) : Exception(message);
