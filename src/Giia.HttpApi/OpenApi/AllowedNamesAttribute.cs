namespace Giia.HttpApi.OpenApi;

/// <summary>
/// The text field or query value takes one of <paramref name="enumType"/>'s names in lower case (e.g. <c>active</c>),
/// as the endpoint's validation accepts; documented as the schema's <c>enum</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class AllowedNamesAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType ?? throw new ArgumentNullException(nameof(enumType));

    public IReadOnlyList<string> Names => [.. Enum.GetNames(EnumType).Select(n => n.ToLowerInvariant())];
}
