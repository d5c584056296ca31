using Giia.Events;

using Giia.Tests.Infrastructure;

using YamlDotNet.RepresentationModel;

namespace Giia.Tests.Events;

/// <summary>docs/events/asyncapi.yaml documents every event type the schema folder defines, on its real subject.</summary>
public sealed class AsyncApiDocumentTests
{
    [Fact]
    public void Every_event_type_has_a_channel_on_its_subject_and_a_message_whose_data_is_its_schema_file()
    {
        var root = RepositoryPaths.Root();
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(root, "docs", "events", "asyncapi.yaml")))
        {
            yaml.Load(reader);
        }

        var document = (YamlMappingNode)yaml.Documents[0].RootNode;
        Assert.Equal("3.0.0", ((YamlScalarNode)document["asyncapi"]).Value);
        var channels = (YamlMappingNode)document["channels"];
        var messages = (YamlMappingNode)((YamlMappingNode)document["components"])["messages"];
        var addresses = channels.Children.Values.OfType<YamlMappingNode>()
            .Select(channel => ((YamlScalarNode)channel["address"]).Value).ToHashSet();
        var schemaReferences = messages.Children.Values.OfType<YamlMappingNode>()
            .SelectMany(message => message.AllNodes.OfType<YamlScalarNode>())
            .Select(node => node.Value)
            .Where(value => value?.EndsWith(".json", StringComparison.Ordinal) == true)
            .ToHashSet();

        foreach (var type in EventSchemaRegistry.Default.All)
        {
            Assert.Contains(type.NatsSubject, addresses);
            var file = $"../../src/Giia.Events/Schemas/{type.Type}.v{type.Version}.json";
            Assert.Contains(file, schemaReferences);
            Assert.True(File.Exists(Path.Combine(root, "docs", "events", file)), $"{file} is referenced but missing");
        }

        Assert.Contains("dlq.{originalSubject}", addresses);
        Assert.Contains("retry.{consumer}.{originalSubject}", addresses);
    }
}
