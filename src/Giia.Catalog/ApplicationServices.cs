using Giia.Catalog.Data;
using Giia.Events;
using Giia.ServiceDefaults;

namespace Giia.Catalog;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, CatalogDbContext>("catalogdb");
        builder.AddEventBus().AddOutbox<CatalogDbContext>();
        builder.AddGrpcDefaults();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGrpcDefaults();
        return app;
    }
}
