using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Giia.HttpApi.OpenApi;

/// <summary>
/// Completes each operation from its endpoint's metadata: the bearer requirement on protected operations (and an
/// empty one on public operations), every problem the pipeline can answer with (401/403 from authorization, 400/413/415
/// from body binding, 400/404 for route values, 429 from rate limiting, 503 for an unreachable dependency), each as
/// problem+json, and the Location, ETag, Retry-After and If-Match headers.
/// </summary>
internal sealed class ContractOperationTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    private static readonly Dictionary<int, string> Meanings = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is malformed or a field is invalid; `errors` names each field.",
        [StatusCodes.Status401Unauthorized] = "No bearer token, or it is expired, revoked or not issued by GIIA Auth.",
        [StatusCodes.Status403Forbidden] = "The caller lacks the permission this operation needs, or the change is beyond their privileges.",
        [StatusCodes.Status404NotFound] = "No such resource in the caller's organization.",
        [StatusCodes.Status409Conflict] = "The change conflicts with the current state (a duplicate, or a resource still in use).",
        [StatusCodes.Status412PreconditionFailed] = "If-Match does not name the current version: read the resource again and reapply the change.",
        [StatusCodes.Status413PayloadTooLarge] = "The request body is larger than this operation accepts.",
        [StatusCodes.Status415UnsupportedMediaType] = "The request body is not `application/json`.",
        [StatusCodes.Status428PreconditionRequired] = "If-Match is required: send the ETag read from GET.",
        [StatusCodes.Status429TooManyRequests] = "Too many requests from this client address; retry after `Retry-After` seconds.",
        [StatusCodes.Status503ServiceUnavailable] = "A dependency (the database, or Auth for the permission check) did not answer; retry after `Retry-After` seconds.",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var document = context.Document ?? throw new InvalidOperationException("the operation transformer runs inside a document");
        if (string.IsNullOrWhiteSpace(operation.Summary) || string.IsNullOrWhiteSpace(operation.Description))
        {
            throw new InvalidOperationException($"{description.HttpMethod} /{description.RelativePath} needs WithSummary and WithDescription.");
        }

        var isPublic = metadata.OfType<IAllowAnonymous>().Any()
            || !(metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAuthorizationRequirementData>().Any());
        var checksPermission = metadata.OfType<IAuthorizationRequirementData>().Any();
        var hasBody = operation.RequestBody is not null || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
        var hasRouteValues = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path);
        var hasQuery = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query);
        var rateLimited = metadata.OfType<EnableRateLimitingAttribute>().Any();
        var bodyLimited = metadata.OfType<IRequestSizeLimitMetadata>().LastOrDefault()?.MaxRequestBodySize is not null;
        var etag = metadata.OfType<ETagMetadata>().LastOrDefault();

        OpenApiComponentsExtensions.AddBearerScheme(document);
        operation.Security = isPublic
            ? []
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiContract.BearerScheme, document)] = [] }];

        var statuses = new SortedSet<int> { StatusCodes.Status503ServiceUnavailable };
        if (!isPublic)
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
        }

        if (checksPermission)
        {
            statuses.Add(StatusCodes.Status403Forbidden);
        }

        if (hasBody)
        {
            statuses.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType]);
        }

        if (hasBody && bodyLimited)
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
        }

        if (hasQuery)
        {
            statuses.Add(StatusCodes.Status400BadRequest);
        }

        if (hasRouteValues)
        {
            // A malformed route value is 400 (the server refuses it before routing), an unknown one 404.
            statuses.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound]);
        }

        if (rateLimited)
        {
            statuses.Add(StatusCodes.Status429TooManyRequests);
        }

        operation.Responses ??= [];
        var problem = await SchemaReferenceAsync(context, document, typeof(ProblemDetails), "ProblemDetails", cancellationToken);
        var validationProblem = await SchemaReferenceAsync(context, document, typeof(HttpValidationProblemDetails), "HttpValidationProblemDetails", cancellationToken);
        foreach (var status in statuses)
        {
            operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse());
        }

        foreach (var (key, value) in operation.Responses)
        {
            if (value is not OpenApiResponse response || !int.TryParse(key, out var status))
            {
                continue;
            }

            if (status >= 400)
            {
                DescribeProblem(response, status, status == StatusCodes.Status400BadRequest ? validationProblem : problem);
            }
            else
            {
                DescribeSuccess(response, status, etag);
            }
        }

        // Answers in status order, so a reader finds the success first and the problems after it.
        var ordered = operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (key, value) in ordered)
        {
            operation.Responses.Add(key, value);
        }

        if (etag is { RequiresIfMatch: true })
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = true,
                Description = "The ETag of the version being changed, as read from GET (or `*` for any version).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    private static void DescribeProblem(OpenApiResponse response, int status, IOpenApiSchema schema)
    {
        if (string.IsNullOrWhiteSpace(response.Description) || response.Description == ReasonPhrases.GetReasonPhrase(status))
        {
            response.Description = Meanings.TryGetValue(status, out var meaning) ? meaning : ReasonPhrases.GetReasonPhrase(status);
        }

        response.Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } };
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            AddHeader(response, "Retry-After", "Seconds to wait before retrying.", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" });
        }
    }

    private static void DescribeSuccess(OpenApiResponse response, int status, ETagMetadata? etag)
    {
        if (status == StatusCodes.Status201Created)
        {
            AddHeader(response, "Location", "The created resource's path.", new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" });
        }

        if (etag is not null && status is StatusCodes.Status200OK or StatusCodes.Status201Created)
        {
            AddHeader(response, "ETag", "The resource's version; send it back in If-Match to change it.", new OpenApiSchema { Type = JsonSchemaType.String });
        }
    }

    private static void AddHeader(OpenApiResponse response, string name, string description, OpenApiSchema schema)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers.TryAdd(name, new OpenApiHeader { Description = description, Schema = schema });
    }

    private static async Task<IOpenApiSchema> SchemaReferenceAsync(OpenApiOperationTransformerContext context, OpenApiDocument document, Type type,
        string id, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(id))
        {
            document.Components.Schemas[id] = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
        }

        return new OpenApiSchemaReference(id, document);
    }
}
