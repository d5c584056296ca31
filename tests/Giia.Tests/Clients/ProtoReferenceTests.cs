using Giia.ProtoDocs;
using Giia.Tests.Infrastructure;

using Google.Protobuf.Reflection;

namespace Giia.Tests.Clients;

/// <summary>
/// docs/api/proto holds what the .proto files and their comments render to today; refresh it with
/// <c>scripts/generate-proto-docs.sh</c> and commit the result.
/// </summary>
public sealed class ProtoReferenceTests
{
    [Fact]
    public void Committed_grpc_reference_matches_a_fresh_rendering_of_the_protos()
    {
        var folder = Path.Combine(RepositoryPaths.Root(), "docs", "api", "proto");
        var rendered = ProtoReference.Render(ProtoReference.CompiledProtos());
        Assert.Equal(["auth.v1.md", "catalog.v1.md"], rendered.Select(r => r.FileName).Order());

        var stale = rendered
            .Where(r => !File.Exists(Path.Combine(folder, r.FileName)) || File.ReadAllText(Path.Combine(folder, r.FileName)) != r.Markdown)
            .Select(r => r.FileName)
            .Concat(Directory.EnumerateFiles(folder, "*.md")
                .Select(Path.GetFileName)
                .Where(name => name != "README.md" && rendered.All(r => r.FileName != name))
                .Select(name => $"{name} (no longer generated)"))
            .ToList();
        Assert.True(stale.Count == 0, $"docs/api/proto is stale: run scripts/generate-proto-docs.sh and commit it. {string.Join(", ", stale)}");
    }

    [Fact]
    public void Every_service_rpc_and_field_of_the_protos_has_a_comment()
    {
        Assert.Empty(ProtoReference.Uncommented(ProtoReference.CompiledProtos()));
    }

    [Fact]
    public void An_uncommented_rpc_or_field_is_found_and_a_comment_is_rendered_next_to_its_field()
    {
        var file = new FileDescriptorProto
        {
            Name = "sample.proto",
            Package = "sample.v1",
            MessageType =
            {
                new DescriptorProto
                {
                    Name = "Thing",
                    Field =
                    {
                        new FieldDescriptorProto { Name = "id", Number = 1, Type = FieldDescriptorProto.Types.Type.String },
                        new FieldDescriptorProto { Name = "size", Number = 2, Type = FieldDescriptorProto.Types.Type.Int32 },
                    },
                },
            },
            Service =
            {
                new ServiceDescriptorProto
                {
                    Name = "Things",
                    Method = { new MethodDescriptorProto { Name = "Get", InputType = ".sample.v1.Thing", OutputType = ".sample.v1.Thing" } },
                },
            },
            // Comments on the service and on Thing.id (paths: file.service[0], file.message_type[0].field[0]).
            SourceCodeInfo = new SourceCodeInfo
            {
                Location =
                {
                    new SourceCodeInfo.Types.Location { Path = { 6, 0 }, LeadingComments = " Things.\n" },
                    new SourceCodeInfo.Types.Location { Path = { 4, 0, 2, 0 }, TrailingComments = " the id | a UUID\n" },
                },
            },
        };
        var protos = new FileDescriptorSet { File = { file } };

        Assert.Equal(["sample.proto: rpc Things.Get", "sample.proto: field Thing.size"], ProtoReference.Uncommented(protos));
        var (fileName, markdown) = Assert.Single(ProtoReference.Render(protos));
        Assert.Equal("sample.v1.md", fileName);
        Assert.Contains("| `id` | 1 | `string` | the id \\| a UUID |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `Get` | [`Thing`](#thing) | [`Thing`](#thing) |  |", markdown, StringComparison.Ordinal);
    }
}
