using System.Diagnostics.CodeAnalysis;

namespace Giia.HttpApi.OpenApi;

/// <summary>An example body (JSON) for a request type, shown in its schema; the lint checks it against the schema.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequestExampleAttribute([StringSyntax(StringSyntaxAttribute.Json)] string json) : Attribute
{
    public string Json { get; } = json;
}
