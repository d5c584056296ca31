namespace Giia.Benchmarks;

/// <summary>Reads <c>--name value</c> pairs.</summary>
public sealed class BenchArguments(string[] args)
{
    public int Number(string name, int fallback)
    {
        var at = Array.IndexOf(args, $"--{name}");
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
    }
}
