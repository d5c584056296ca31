using Giia.Auth.Client;
using Giia.Catalog.Api;
using Giia.Catalog.BufferProfiles;
using Giia.Catalog.Data;
using Giia.Catalog.Grpc;
using Giia.Catalog.Products;
using Giia.Catalog.Suppliers;
using Giia.Events;
using Giia.ServiceDefaults;

namespace Giia.Catalog;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, CatalogDbContext>("catalogdb");
        builder.AddEventBus().AddOutbox<CatalogDbContext>();
        builder.Services.AddValidatedOptions<DemoDataOptions>(DemoDataOptions.SectionName);
        builder.Services.AddDbSeeder<CatalogDbContext, DemoCatalogSeeder>();
        builder.AddGrpcDefaults();
        builder.AddGiiaAuthClient();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcDefaults();
        app.MapGrpcService<CatalogGrpcService>();
        app.MapProductEndpoints();
        app.MapSupplierEndpoints();
        app.MapBufferProfileEndpoints();
        return app;
    }
}
