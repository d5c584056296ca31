namespace Giia.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder holding Giia.sln, found upwards from the test assembly.</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Giia.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Giia.sln not found above the test's folder.");
    }
}
