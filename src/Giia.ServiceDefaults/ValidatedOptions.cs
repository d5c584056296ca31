using System.ComponentModel.DataAnnotations;
using System.Reflection;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Giia.ServiceDefaults;

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="sectionName"/> and validates its data annotations, nested
    /// objects included, when the service starts; each failure names the full configuration key.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new NestedDataAnnotationsValidator<TOptions>(sectionName));
        return services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
    }

    private sealed class NestedDataAnnotationsValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var failures = Failures(options, sectionName);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }

    /// <summary>The data-annotation failures of an options object and its nested Giia objects, each naming its full key.</summary>
    public static IReadOnlyList<string> Failures(object options, string sectionName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Collect(options, sectionName, failures);
        return failures;
    }

    private static void Collect(object instance, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var keys = result.MemberNames.Any() ? result.MemberNames.Select(member => $"{path}:{member}") : [path];
            failures.AddRange(keys.Select(key => $"{key}: {result.ErrorMessage}"));
        }

        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && property.GetIndexParameters().Length == 0 && property.GetValue(instance) is { } child
                && child.GetType().Namespace?.StartsWith("Giia", StringComparison.Ordinal) == true)
            {
                Collect(child, $"{path}:{property.Name}", failures);
            }
        }
    }
}
