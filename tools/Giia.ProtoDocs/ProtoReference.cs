using System.Globalization;
using System.Text;

using Google.Protobuf.Reflection;

namespace Giia.ProtoDocs;

/// <summary>
/// The Markdown reference of each .proto file (one page per package), built from its descriptor and the comments
/// protoc keeps with <c>--include_source_info</c>.
/// </summary>
public static class ProtoReference
{
    // Field numbers of descriptor.proto, which make up a SourceCodeInfo location's path.
    private const int FilePackage = 2;
    private const int FileMessageType = 4;
    private const int FileEnumType = 5;
    private const int FileService = 6;
    private const int MessageField = 2;
    private const int MessageNestedType = 3;
    private const int MessageEnumType = 4;
    private const int EnumValue = 2;
    private const int ServiceMethod = 2;

    /// <summary>The descriptor set compiled into this assembly from the services' .proto files.</summary>
    public static FileDescriptorSet CompiledProtos()
    {
        using var stream = typeof(ProtoReference).Assembly.GetManifestResourceStream("giia-protos.pb")
            ?? throw new InvalidOperationException("The embedded descriptor set giia-protos.pb is missing.");
        return FileDescriptorSet.Parser.ParseFrom(stream);
    }

    /// <summary>One page per file: its name (<c>package.md</c>) and its Markdown.</summary>
    public static IReadOnlyList<(string FileName, string Markdown)> Render(FileDescriptorSet protos)
    {
        ArgumentNullException.ThrowIfNull(protos);
        return [.. protos.File.Select(file => ($"{file.Package}.md", RenderFile(file)))];
    }

    /// <summary>Every service, RPC, field and enum value without a comment, as "file: element".</summary>
    public static IReadOnlyList<string> Uncommented(FileDescriptorSet protos)
    {
        ArgumentNullException.ThrowIfNull(protos);
        var missing = new List<string>();
        foreach (var file in protos.File)
        {
            var comments = Comments.Of(file);
            for (var s = 0; s < file.Service.Count; s++)
            {
                var service = file.Service[s];
                if (comments.At(FileService, s).Length == 0)
                {
                    missing.Add($"{file.Name}: service {service.Name}");
                }

                for (var m = 0; m < service.Method.Count; m++)
                {
                    if (comments.At(FileService, s, ServiceMethod, m).Length == 0)
                    {
                        missing.Add($"{file.Name}: rpc {service.Name}.{service.Method[m].Name}");
                    }
                }
            }

            foreach (var (message, path) in Messages(file).Where(m => m.Message.Options?.MapEntry != true))
            {
                for (var f = 0; f < message.Field.Count; f++)
                {
                    if (comments.At([.. path, MessageField, f]).Length == 0)
                    {
                        missing.Add($"{file.Name}: field {message.Name}.{message.Field[f].Name}");
                    }
                }
            }

            foreach (var (enumType, path) in Enums(file))
            {
                for (var v = 0; v < enumType.Value.Count; v++)
                {
                    if (comments.At([.. path, EnumValue, v]).Length == 0)
                    {
                        missing.Add($"{file.Name}: enum value {enumType.Name}.{enumType.Value[v].Name}");
                    }
                }
            }
        }

        return missing;
    }

    private static string RenderFile(FileDescriptorProto file)
    {
        var comments = Comments.Of(file);
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $"# `{file.Package}`\n\n");
        page.Append(CultureInfo.InvariantCulture,
            $"<!-- Generated from {file.Name} by scripts/generate-proto-docs.sh: edit the .proto, not this page. -->\n\n");
        page.Append(CultureInfo.InvariantCulture, $"Source: [`{file.Name}`](../../../{file.Name})\n\n");
        AppendParagraphs(page, comments.At(FilePackage));

        for (var s = 0; s < file.Service.Count; s++)
        {
            var service = file.Service[s];
            page.Append(CultureInfo.InvariantCulture, $"## Service `{file.Package}.{service.Name}`\n\n");
            AppendParagraphs(page, comments.At(FileService, s));
            page.Append("| RPC | Request | Response | What it does, what it needs, what it answers |\n|---|---|---|---|\n");
            for (var m = 0; m < service.Method.Count; m++)
            {
                var method = service.Method[m];
                page.Append(CultureInfo.InvariantCulture,
                    $"| `{method.Name}` | {TypeLink(file, method.InputType, method.ClientStreaming)} | {TypeLink(file, method.OutputType, method.ServerStreaming)} | {Cell(comments.At(FileService, s, ServiceMethod, m))} |\n");
            }

            page.Append('\n');
        }

        page.Append("## Messages\n\n");
        foreach (var (message, path) in Messages(file).Where(m => m.Message.Options?.MapEntry != true))
        {
            page.Append(CultureInfo.InvariantCulture, $"### `{message.Name}`\n\n");
            AppendParagraphs(page, comments.At(path));
            page.Append("| Field | Number | Type | Meaning |\n|---|---|---|---|\n");
            for (var f = 0; f < message.Field.Count; f++)
            {
                var field = message.Field[f];
                page.Append(CultureInfo.InvariantCulture,
                    $"| `{field.Name}` | {field.Number} | {FieldType(file, message, field)} | {Cell(comments.At([.. path, MessageField, f]))} |\n");
            }

            page.Append('\n');
        }

        var enums = Enums(file).ToList();
        if (enums.Count > 0)
        {
            page.Append("## Enums\n\n");
            foreach (var (enumType, path) in enums)
            {
                page.Append(CultureInfo.InvariantCulture, $"### `{enumType.Name}`\n\n");
                AppendParagraphs(page, comments.At(path));
                page.Append("| Value | Number | Meaning |\n|---|---|---|\n");
                for (var v = 0; v < enumType.Value.Count; v++)
                {
                    page.Append(CultureInfo.InvariantCulture,
                        $"| `{enumType.Value[v].Name}` | {enumType.Value[v].Number} | {Cell(comments.At([.. path, EnumValue, v]))} |\n");
                }

                page.Append('\n');
            }
        }

        return page.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>Top-level and nested messages, in file order, each with its SourceCodeInfo path.</summary>
    private static IEnumerable<(DescriptorProto Message, int[] Path)> Messages(FileDescriptorProto file)
    {
        for (var i = 0; i < file.MessageType.Count; i++)
        {
            foreach (var nested in WithNested(file.MessageType[i], [FileMessageType, i]))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<(DescriptorProto Message, int[] Path)> WithNested(DescriptorProto message, int[] path)
    {
        yield return (message, path);
        for (var i = 0; i < message.NestedType.Count; i++)
        {
            foreach (var nested in WithNested(message.NestedType[i], [.. path, MessageNestedType, i]))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<(EnumDescriptorProto Enum, int[] Path)> Enums(FileDescriptorProto file)
    {
        for (var i = 0; i < file.EnumType.Count; i++)
        {
            yield return (file.EnumType[i], [FileEnumType, i]);
        }

        foreach (var (message, path) in Messages(file))
        {
            for (var i = 0; i < message.EnumType.Count; i++)
            {
                yield return (message.EnumType[i], [.. path, MessageEnumType, i]);
            }
        }
    }

    private static string FieldType(FileDescriptorProto file, DescriptorProto message, FieldDescriptorProto field)
    {
        if (field.Label == FieldDescriptorProto.Types.Label.Repeated && field.Type == FieldDescriptorProto.Types.Type.Message)
        {
            var entry = message.NestedType.FirstOrDefault(n => n.Options?.MapEntry == true && field.TypeName.EndsWith($".{message.Name}.{n.Name}", StringComparison.Ordinal));
            if (entry is not null)
            {
                return $"`map<{TypeName(file, entry.Field[0])}, {TypeName(file, entry.Field[1])}>`";
            }
        }

        var name = field.Type switch
        {
            FieldDescriptorProto.Types.Type.Message or FieldDescriptorProto.Types.Type.Enum => TypeLink(file, field.TypeName, streaming: false),
            _ => $"`{TypeName(file, field)}`",
        };
        return field.Label == FieldDescriptorProto.Types.Label.Repeated ? $"repeated {name}"
            : field.Proto3Optional ? $"optional {name}"
            : name;
    }

    private static string TypeName(FileDescriptorProto file, FieldDescriptorProto field) =>
        field.TypeName.Length == 0 ? field.Type.ToString().ToLowerInvariant()
            : field.TypeName.StartsWith($".{file.Package}.", StringComparison.Ordinal) ? field.TypeName[(file.Package.Length + 2)..]
            : field.TypeName.TrimStart('.');

    /// <summary>A type of this file links to its section; any other (well-known types) is named in full.</summary>
    private static string TypeLink(FileDescriptorProto file, string typeName, bool streaming)
    {
        var prefix = $".{file.Package}.";
        var link = typeName.StartsWith(prefix, StringComparison.Ordinal)
            ? $"[`{typeName[prefix.Length..]}`](#{typeName[prefix.Length..].Replace(".", string.Empty, StringComparison.Ordinal).ToLowerInvariant()})"
            : $"`{typeName.TrimStart('.')}`";
        return streaming ? $"stream {link}" : link;
    }

    private static void AppendParagraphs(StringBuilder page, string comment)
    {
        if (comment.Length > 0)
        {
            page.Append(comment).Append("\n\n");
        }
    }

    /// <summary>A comment on one table line: its lines joined, pipes escaped.</summary>
    private static string Cell(string comment) =>
        string.Join(' ', comment.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The leading and trailing comments of each element of one file, by SourceCodeInfo path.</summary>
    private sealed class Comments
    {
        private readonly Dictionary<string, string> byPath;

        private Comments(Dictionary<string, string> byPath) => this.byPath = byPath;

        public static Comments Of(FileDescriptorProto file)
        {
            var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var location in file.SourceCodeInfo?.Location ?? [])
            {
                var text = string.Join('\n', new[] { location.LeadingComments, location.TrailingComments }
                    .Select(Tidy)
                    .Where(c => c.Length > 0));
                if (text.Length > 0)
                {
                    byPath[Key([.. location.Path])] = text;
                }
            }

            return new Comments(byPath);
        }

        public string At(params int[] path) => byPath.GetValueOrDefault(Key(path), string.Empty);

        private static string Key(int[] path) => string.Join('.', path);

        // protoc keeps the space after "//" and the line breaks; paragraphs stay, indentation goes.
        private static string Tidy(string comment) =>
            string.Join('\n', comment.Split('\n').Select(line => line.Trim())).Trim();
    }
}
