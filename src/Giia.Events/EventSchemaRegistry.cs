using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

using Json.Schema;

namespace Giia.Events;

/// <summary>An event that breaks its JSON Schema, or whose type no schema describes; the message names the fields.</summary>
public sealed class EventValidationException(string eventType, IReadOnlyList<string> errors)
    : Exception($"Event '{eventType}' is invalid: {string.Join("; ", errors)}")
{
    public string EventType { get; } = eventType;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>What GIIA knows of one event type: its NATS subject and the schema of its data.</summary>
public sealed record EventTypeInfo(string Type, int Version, string NatsSubject, JsonSchema Schema);

/// <summary>
/// The JSON Schemas under <c>Schemas/</c> (<c>{type}.v{version}.json</c>, embedded in this assembly): the single source
/// of which event types exist, which subject each is published on (<c>x-giia-subject</c>) and what their data must hold.
/// Adding an event type is adding a schema file.
/// </summary>
public sealed class EventSchemaRegistry
{
    private const string ResourcePrefix = "Giia.Events.Schemas.";

    // Valid events are the rule: the flag output stops at the first failure and builds no result tree (several times
    // cheaper on Auth's audit batches); only an invalid event is evaluated again with the list output, for its messages.
    private static readonly EvaluationOptions Verdict = CreateEvaluationOptions(OutputFormat.Flag);

    private static readonly EvaluationOptions Evaluation = CreateEvaluationOptions(OutputFormat.List);

    private static EvaluationOptions CreateEvaluationOptions(OutputFormat output)
    {
        var options = new EvaluationOptions { OutputFormat = output, RequireFormatValidation = true };
        // "email" means GIIA's one email rule, the same the API validates with, so valid input always publishes.
        options.FormatRegistry.Register(new GiiaEmailFormat());
        return options;
    }

    private sealed class GiiaEmailFormat() : Format("email")
    {
        public override bool Validate(JsonElement value, out string? errorMessage)
        {
            errorMessage = null;
            if (value.ValueKind != JsonValueKind.String)
            {
                return true; // "type" judges non-strings
            }

            if (Giia.HttpApi.EmailAddresses.IsValid(value.GetString()))
            {
                return true;
            }

            errorMessage = "is not a valid email address";
            return false;
        }
    }

    private readonly FrozenDictionary<(string Type, int Version), EventTypeInfo> types;

    /// <summary>The schemas are immutable: one instance serves the whole process.</summary>
    public static EventSchemaRegistry Default { get; } = new();

    public EventSchemaRegistry()
    {
        var assembly = typeof(EventSchemaRegistry).Assembly;
        var loaded = new Dictionary<(string, int), EventTypeInfo>();
        var buildOptions = new BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry() };
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            var fileName = resource[ResourcePrefix.Length..^".json".Length];           // e.g. user.registered.v1
            var versionAt = fileName.LastIndexOf(".v", StringComparison.Ordinal);
            var type = fileName[..versionAt];
            var version = int.Parse(fileName[(versionAt + 2)..], System.Globalization.CultureInfo.InvariantCulture);
            var subject = JsonNode.Parse(text)?["x-giia-subject"]?.GetValue<string>()
                ?? throw new InvalidOperationException($"Schema {fileName} has no x-giia-subject.");
            loaded[(type, version)] = new EventTypeInfo(type, version, subject, JsonSchema.FromText(text, buildOptions));
        }

        types = loaded.ToFrozenDictionary();
    }

    public IEnumerable<EventTypeInfo> All => types.Values;

    public EventTypeInfo Get(string type, int version) =>
        types.TryGetValue((type, version), out var info)
            ? info
            : throw new EventValidationException(type, [$"unknown event type '{type}' version {version}: no schema describes it"]);

    /// <summary>Validates an envelope's data against its type's schema; throws naming every failing field.</summary>
    public EventTypeInfo Validate(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var info = Get(envelope.Type, envelope.SchemaVersion);
        var errors = new List<string>();
        if (envelope.SpecVersion != EventEnvelope.CloudEventsSpecVersion)
        {
            errors.Add($"specversion must be {EventEnvelope.CloudEventsSpecVersion}");
        }

        if (string.IsNullOrWhiteSpace(envelope.Id) || string.IsNullOrWhiteSpace(envelope.Source))
        {
            errors.Add("id and source are required");
        }
        else if (!EventEnvelope.IsBoundedId(envelope.Id))
        {
            errors.Add($"id must be 1-{EventEnvelope.MaxIdLength} printable ASCII characters without spaces");
        }

        if (envelope.Source?.Length > EventEnvelope.MaxNameLength || envelope.Subject?.Length > EventEnvelope.MaxNameLength)
        {
            errors.Add($"source and subject must be at most {EventEnvelope.MaxNameLength} characters");
        }

        if (envelope.AggregateVersion is <= 0)
        {
            errors.Add("aggregateversion must be positive");
        }

        if (!info.Schema.Evaluate(envelope.Data, Verdict).IsValid)
        {
            var results = info.Schema.Evaluate(envelope.Data, Evaluation);
            foreach (var detail in results.Details ?? [])
            {
                if (detail.Errors is null)
                {
                    continue;
                }

                var location = detail.InstanceLocation.ToString();
                foreach (var (_, message) in detail.Errors)
                {
                    errors.Add($"data{(location.Length == 0 ? "" : location.Replace('/', '.'))}: {message}");
                }
            }

            if (errors.Count == 0)
            {
                errors.Add("data does not match the schema");
            }
        }

        return errors.Count == 0 ? info : throw new EventValidationException(envelope.Type, errors);
    }

    /// <summary>Builds a validated envelope for a contract record marked with <see cref="GiiaEventAttribute"/>.</summary>
    public EventEnvelope Create<TEvent>(TEvent data, string source, Guid? organizationId, string? subject, TimeProvider time)
        where TEvent : notnull
    {
        var attribute = GiiaEventAttribute.Of(typeof(TEvent));
        var envelope = new EventEnvelope
        {
            Id = Guid.CreateVersion7().ToString(),
            Source = source,
            Type = attribute.Type,
            SchemaVersion = attribute.SchemaVersion,
            Time = time.GetUtcNow(),
            Subject = subject,
            OrganizationId = organizationId,
            Data = JsonSerializer.SerializeToElement(data, EventEnvelope.DataSerializerOptions),
        };
        Validate(envelope);
        return envelope;
    }
}
