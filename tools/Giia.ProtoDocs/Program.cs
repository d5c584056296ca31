using Giia.ProtoDocs;

// Usage: dotnet run --project tools/Giia.ProtoDocs -- <output-folder>   (scripts/generate-proto-docs.sh)
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Giia.ProtoDocs <output-folder>");
    return 2;
}

var protos = ProtoReference.CompiledProtos();
var uncommented = ProtoReference.Uncommented(protos);
if (uncommented.Count > 0)
{
    Console.Error.WriteLine($"Every service, RPC, field and enum value needs a comment; these have none:\n  {string.Join("\n  ", uncommented)}");
    return 1;
}

Directory.CreateDirectory(args[0]);
foreach (var (fileName, markdown) in ProtoReference.Render(protos))
{
    await File.WriteAllTextAsync(Path.Combine(args[0], fileName), markdown);
}

return 0;
