using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Giia.Events;

/// <summary>
/// The one event shape of GIIA: a CloudEvents 1.0 structured-mode JSON document, plus the extension attributes
/// <c>organizationid</c> (the tenant) and <c>schemaversion</c> (the version of the data's JSON Schema).
/// </summary>
public sealed record EventEnvelope
{
    public const string CloudEventsSpecVersion = "1.0";
    public const string JsonContentType = "application/json";

    /// <summary>The longest event id (the <c>varchar(100)</c> of processed_events and dead_letters).</summary>
    public const int MaxIdLength = 100;

    /// <summary>The longest <c>source</c>, <c>type</c> and <c>subject</c>.</summary>
    public const int MaxNameLength = 200;

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The producing service, e.g. <c>/giia/catalog</c>.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>The event type, e.g. <c>product.created</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    [JsonPropertyName("specversion")]
    public string SpecVersion { get; init; } = CloudEventsSpecVersion;

    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <summary>The entity the event is about, e.g. <c>products/3f2c…</c>.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    [JsonPropertyName("datacontenttype")]
    public string DataContentType { get; init; } = JsonContentType;

    [JsonPropertyName("organizationid")]
    public Guid? OrganizationId { get; init; }

    [JsonPropertyName("schemaversion")]
    public int SchemaVersion { get; init; } = 1;

    /// <summary>
    /// The position of this event among the events about its <see cref="Subject"/> (1, 2, 3...; assigned by the outbox
    /// when the event is committed). Consumers that keep state apply an event only when it is newer than what they
    /// hold. Absent on events about no aggregate (the audit trail).
    /// </summary>
    [JsonPropertyName("aggregateversion")]
    public long? AggregateVersion { get; init; }

    [JsonPropertyName("data")]
    public required JsonElement Data { get; init; }

    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Event payloads use the spec's snake_case field names (<c>user_id</c>, <c>organization_id</c>).</summary>
    public static readonly JsonSerializerOptions DataSerializerOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions);

    public static EventEnvelope Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<EventEnvelope>(utf8Json, SerializerOptions)
        ?? throw new JsonException("The message body is not an event envelope.");

    /// <summary>
    /// The <c>id</c> of whatever arrived, read leniently: null when the body is not JSON, not an object, or has no
    /// string id (a broken message must still be dead-lettered under some name).
    /// </summary>
    public static string? TryReadId(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    ? id.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An id that fits the bookkeeping columns and a NATS header: 1-100 printable ASCII characters, no spaces.</summary>
    public static bool IsBoundedId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => c is > ' ' and < (char)127);

    public TEvent DataAs<TEvent>() =>
        Data.Deserialize<TEvent>(DataSerializerOptions) ?? throw new JsonException($"The event data is not a {typeof(TEvent).Name}.");
}

/// <summary>Names the event type a contract record is published as, e.g. <c>[GiiaEvent("product.created")]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GiiaEventAttribute(string type, int schemaVersion = 1) : Attribute
{
    public string Type { get; } = type;

    public int SchemaVersion { get; } = schemaVersion;

    /// <summary>
    /// Whether events of this type are versioned and published in order per <c>subject</c> (their aggregate). Off for
    /// events that each stand alone, such as audit copies, which then cost no version bookkeeping.
    /// </summary>
    public bool Ordered { get; init; } = true;

    // Read once per contract type: reflection on every event was a measurable share of Auth's audit writer.
    private static readonly ConcurrentDictionary<Type, GiiaEventAttribute> Known = new();

    public static GiiaEventAttribute Of(Type contract) => Known.GetOrAdd(contract, static type =>
        (GiiaEventAttribute?)GetCustomAttribute(type, typeof(GiiaEventAttribute))
        ?? throw new InvalidOperationException($"{type.Name} has no [GiiaEvent] attribute naming its event type."));
}
