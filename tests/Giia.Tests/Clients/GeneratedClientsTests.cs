using System.Diagnostics;

using Giia.Tests.Infrastructure;

namespace Giia.Tests.Clients;

/// <summary>
/// The committed Kiota clients (clients/Giia.ApiClients) are what the pinned Kiota generates from the committed
/// OpenAPI documents today; refresh them with <c>scripts/generate-clients.sh</c> and commit the result.
/// </summary>
public sealed class GeneratedClientsTests
{
    [Fact]
    public async Task Committed_clients_match_a_fresh_generation_from_the_documents()
    {
        var root = RepositoryPaths.Root();
        var output = Path.Combine(Path.GetTempPath(), $"giia-clients-{Guid.NewGuid():N}");
        try
        {
            using var generate = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "generate-clients.sh"), output])
            {
                WorkingDirectory = root,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var errors = generate.StandardError.ReadToEndAsync(timeout.Token);
            var printed = generate.StandardOutput.ReadToEndAsync(timeout.Token);
            await generate.WaitForExitAsync(timeout.Token);
            Assert.True(generate.ExitCode == 0, $"generate-clients.sh failed ({generate.ExitCode}): {await errors}{await printed}");

            var stale = new List<string>();
            foreach (var client in new[] { "Catalog", "Auth" })
            {
                var committed = Files(Path.Combine(root, "clients", "Giia.ApiClients", client));
                var fresh = Files(Path.Combine(output, client));
                Assert.NotEmpty(fresh);
                stale.AddRange(committed.Keys.Except(fresh.Keys).Select(f => $"{client}/{f} is no longer generated"));
                stale.AddRange(fresh.Keys.Except(committed.Keys).Select(f => $"{client}/{f} is missing"));
                stale.AddRange(fresh.Keys.Intersect(committed.Keys)
                    .Where(f => File.ReadAllText(fresh[f]) != File.ReadAllText(committed[f]))
                    .Select(f => $"{client}/{f} differs"));
            }

            Assert.True(stale.Count == 0,
                $"clients/Giia.ApiClients is stale: run scripts/generate-clients.sh and commit it.\n{string.Join('\n', stale.Take(30))}");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static Dictionary<string, string> Files(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), f => f)
        : [];
}
