using System.Reflection;

namespace Giia.Tests.Infrastructure;

/// <summary>The configuration (Debug/Release) these tests were built in; projects they start are run from the same build.</summary>
public static class BuildConfiguration
{
    public static readonly string Name =
        typeof(BuildConfiguration).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
