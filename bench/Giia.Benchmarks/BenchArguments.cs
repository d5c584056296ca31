namespace Giia.Benchmarks;

/// <summary>Reads <c>--name value</c> pairs.</summary>
public sealed class BenchArguments(string[] args)
{
    public int Number(string name, int fallback) => int.TryParse(Text(name, ""), out var value) ? value : fallback;

    public string Text(string name, string fallback)
    {
        var at = Array.IndexOf(args, $"--{name}");
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
