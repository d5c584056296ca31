using System.Text.Json.Serialization;

namespace Giia.Auth.Client.Invalidation;

/// <summary>Serialization of notices without reflection (they are read on every service, several times a second).</summary>
[JsonSerializable(typeof(InvalidationNotice))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class InvalidationJson : JsonSerializerContext;
