using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Giia.HttpApi.OpenApi;

/// <summary>
/// Makes schemas say what the validation accepts. Numbers are numbers (the lenient reading of numeric strings is not
/// part of the contract). A request type, one whose properties carry validation attributes, requires exactly its
/// <c>[Required]</c> properties, and those are never null; <c>[MaxLength]</c> (<c>maxItems</c> on a list), <c>[Range]</c>, <c>[EmailAddress]</c>
/// and <see cref="AllowedNamesAttribute"/> become <c>maxLength</c>, <c>minimum</c>/<c>maximum</c>, <c>format</c> and
/// <c>enum</c>; <see cref="RequestExampleAttribute"/> becomes the schema's example. Query values get the same rules from
/// the attributes on the handler's parameters.
/// </summary>
internal sealed class ContractSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        NumbersOnly(schema);
        if (context.JsonPropertyInfo is null && context.ParameterDescription?.ParameterDescriptor is IParameterInfoParameterDescriptor parameter)
        {
            Apply(schema, parameter.ParameterInfo.GetCustomAttributes(inherit: true).OfType<Attribute>().ToList(), required: false);
        }

        if (context.JsonTypeInfo.Kind != JsonTypeInfoKind.Object || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        var rules = context.JsonTypeInfo.Properties.ToDictionary(p => p.Name, AttributesOf);
        if (!rules.Values.Any(attributes => attributes.Any(a => a is ValidationAttribute or AllowedNamesAttribute)))
        {
            return Task.CompletedTask;
        }

        schema.Required = new HashSet<string>(rules.Where(r => r.Value.OfType<RequiredAttribute>().Any()).Select(r => r.Key));
        foreach (var (name, property) in schema.Properties)
        {
            if (property is OpenApiSchema propertySchema && rules.TryGetValue(name, out var attributes))
            {
                NumbersOnly(propertySchema);
                Apply(propertySchema, attributes, schema.Required.Contains(name));
            }
        }

        if (context.JsonTypeInfo.Type.GetCustomAttribute<RequestExampleAttribute>() is { } example)
        {
            schema.Examples = [JsonNode.Parse(example.Json) ?? throw new InvalidOperationException("a request example must not be null")];
        }

        return Task.CompletedTask;
    }

    private static List<Attribute> AttributesOf(JsonPropertyInfo property) =>
    [
        .. property.AttributeProvider?.GetCustomAttributes(inherit: true).OfType<Attribute>() ?? [],
        .. property.AssociatedParameter?.AttributeProvider?.GetCustomAttributes(inherit: true).OfType<Attribute>() ?? [],
    ];

    private static void Apply(OpenApiSchema schema, List<Attribute> attributes, bool required)
    {
        if (required && schema.Type is { } type)
        {
            schema.Type = type & ~JsonSchemaType.Null;
            if ((type & JsonSchemaType.String) != 0)
            {
                schema.MinLength ??= 1;
            }
        }

        foreach (var attribute in attributes)
        {
            switch (attribute)
            {
                case MaxLengthAttribute max when IsArray(schema):
                    schema.MaxItems = max.Length;
                    break;
                case MaxLengthAttribute max:
                    schema.MaxLength = max.Length;
                    break;
                case MinLengthAttribute min when IsArray(schema):
                    schema.MinItems = min.Length;
                    break;
                case StringLengthAttribute length:
                    schema.MaxLength = length.MaximumLength;
                    if (length.MinimumLength > 0)
                    {
                        schema.MinLength = length.MinimumLength;
                    }

                    break;
                case RangeAttribute range:
                    var minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
                    if (range.MinimumIsExclusive)
                    {
                        schema.ExclusiveMinimum = minimum;
                    }
                    else
                    {
                        schema.Minimum = minimum;
                    }

                    schema.Maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
                    break;
                case EmailAddressAttribute:
                    schema.Format = "email";
                    break;
                case AllowedNamesAttribute names:
                    // One of the names, or absent; null is not among the documented values.
                    schema.Type = JsonSchemaType.String;
                    schema.Enum = [.. names.Names.Select(n => (JsonNode)JsonValue.Create(n))];
                    break;
                case DescriptionAttribute text when schema.Description is null:
                    schema.Description = text.Description;
                    break;
            }
        }
    }

    private static bool IsArray(OpenApiSchema schema) => schema.Type is { } type && (type & JsonSchemaType.Array) != 0;

    /// <summary>Drops the string alternative (and its digit pattern) that lenient number reading adds to numeric schemas.</summary>
    private static void NumbersOnly(OpenApiSchema schema)
    {
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }
}
