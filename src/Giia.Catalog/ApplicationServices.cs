using Giia.Auth.Client;
using Giia.Catalog.BufferProfiles;
using Giia.Catalog.Data;
using Giia.Catalog.Demo;
using Giia.Catalog.Grpc;
using Giia.Catalog.Products;
using Giia.Catalog.ProductSuppliers;
using Giia.Catalog.Suppliers;
using Giia.Data;
using Giia.Events;
using Giia.GrpcApi;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;
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
        // The operations REST and gRPC translate to and from: per request, over the request's DbContext.
        builder.Services.AddScoped<ProductQueries>().AddScoped<ProductCommands>()
            .AddScoped<SupplierQueries>().AddScoped<SupplierCommands>()
            .AddScoped<BufferProfileQueries>().AddScoped<BufferProfileCommands>()
            .AddScoped<ProductSupplierQueries>().AddScoped<ProductSupplierCommands>();
        builder.AddGrpcDefaults();
        builder.AddGiiaAuthClient();
        builder.AddHttpApi(new ApiContract("GIIA Catalog API",
            "Products, suppliers and buffer profiles of one organization, and the supplier terms of each product. Every change "
            + "is published as an event in its transaction; every answer that is not a success is RFC 9457 problem+json.",
            new Uri("http://localhost:8082"), "catalog", new Dictionary<string, string>
            {
                ["Products"] = "Products (items the organization plans and buys) and their supplier links.",
                ["Suppliers"] = "Suppliers and their default lead times.",
                ["Buffer profiles"] = "DDMRP buffer profiles: ADU method, lead-time and variability factors, spike rules.",
            }));
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseHttpApi();
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
