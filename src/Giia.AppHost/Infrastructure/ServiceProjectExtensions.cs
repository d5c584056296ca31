namespace Giia.AppHost.Infrastructure;

public static class ServiceProjectExtensions
{
    /// <summary>
    /// In the published manifest, a service speaks plain HTTP on its own ports (TLS ends at the cluster's ingress).
    /// Aspire adds an <c>https</c> binding to every web project when publishing, and it would collide with the gRPC port.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPlainHttpWhenPublished(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            foreach (var https in builder.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.Name == "https").ToList())
            {
                builder.Resource.Annotations.Remove(https);
            }
        }

        return builder;
    }
}
