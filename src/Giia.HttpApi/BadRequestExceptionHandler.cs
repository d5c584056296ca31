using System.Text.Json;
using System.Text.RegularExpressions;

using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Giia.HttpApi;

/// <summary>
/// Turns a request the framework could not bind (malformed JSON, a value of the wrong type, a missing body) into a
/// 400 validation problem naming the field, instead of the 500 an unhandled exception would be.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var json = badRequest.InnerException as JsonException;
        // Unreadable JSON names the body (the message names the handler's parameter, which is no field of the API).
        var field = json is not null ? (json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body")
            : ParameterName().Match(badRequest.Message) is { Success: true } parameter ? parameter.Groups["name"].Value
            : "body";
        var message = json is null
            ? badRequest.Message
            : json.Path is { Length: > 2 } ? $"{field} has a value of the wrong type or is malformed." : "The body is not valid JSON.";
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = badRequest.StatusCode,
                Title = "One or more validation errors occurred.",
            },
            Exception = exception,
        });
    }

    /// <summary>The route or query parameter a binding failure names, e.g. <c>Failed to bind parameter "Nullable&lt;int&gt; page" from "x"</c>.</summary>
    [GeneratedRegex(@"parameter ""(?:[^""]*\s)?(?<name>[A-Za-z_][A-Za-z0-9_]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();
}
