namespace Giia.HttpApi.OpenApi;

/// <summary>
/// What a service says about its REST API in its OpenAPI document: the title and description consumers read, where a
/// local run serves it, and what each tag groups. Everything else (security, problems, headers, schema rules) is read
/// from the endpoints' metadata by the shared transformers.
/// </summary>
/// <param name="Title">The document title, e.g. "GIIA Catalog API".</param>
/// <param name="Description">What the API is for, in a paragraph (CommonMark).</param>
/// <param name="LocalUrl">Where <c>./run.sh</c> serves the API, e.g. <c>http://localhost:8082</c>.</param>
/// <param name="DeploymentHost">The placeholder host name of a deployment, e.g. <c>catalog</c> for <c>https://catalog.{domain}</c>.</param>
/// <param name="Tags">Each tag the endpoints use, with its description.</param>
public sealed record ApiContract(string Title, string Description, Uri LocalUrl, string DeploymentHost, IReadOnlyDictionary<string, string> Tags)
{
    public const string Version = "1.0.0";

    public const string LicenseName = "Proprietary";

    public const string BearerScheme = "bearer";
}
