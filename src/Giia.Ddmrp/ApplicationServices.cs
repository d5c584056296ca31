using Giia.Auth.Client;
using Giia.Catalog.Grpc.V1;
using Giia.Ddmrp.Buffers;
using Giia.Ddmrp.CatalogClient;
using Giia.Ddmrp.Data;
using Giia.Ddmrp.Demo;
using Giia.Ddmrp.Inputs;
using Giia.Events;
using Giia.ServiceDefaults;
using Giia.ServiceDefaults.OpenApi;

using Microsoft.Extensions.Options;

namespace Giia.Ddmrp;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, DdmrpDbContext>("ddmrpdb");
        builder.AddEventBus().AddOutbox<DdmrpDbContext>();
        builder.AddGiiaAuthClient();
        builder.AddOpenApiContract(new ApiContract("GIIA Buffer engine API",
            "DDMRP buffers: the positions they are calculated from, flow 4's calculation through Catalog, their history, the "
            + "planning screen and pictures. Every answer that is not a success is RFC 9457 problem+json.",
            new Uri("http://localhost:8085"), "ddmrp", new Dictionary<string, string>
            {
                ["Buffers"] = "Calculated buffers of the organization's products: calculate, read with history, list by priority, draw.",
                ["Buffer inputs"] = "Bulk, idempotent upserts of what buffers are calculated from: usage, forecast, on hand, open supply and demand.",
            }));
        builder.Services.AddValidatedOptions<CatalogClientOptions>(CatalogClientOptions.SectionName);
        // Catalog's reads: the call's own deadline (CatalogClientOptions.CallTimeout) bounds them, and a failure answers 503.
        builder.Services.AddGrpcClient<CatalogService.CatalogServiceClient>((services, client) =>
                client.Address = services.GetRequiredService<IOptions<CatalogClientOptions>>().Value.GrpcAddress)
            // HTTP/2 pings notice a connection whose Catalog pod went away without closing it, instead of each call
            // waiting out its deadline on it.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                EnableMultipleHttp2Connections = true,
            });
        builder.Services.AddScoped<CatalogReader>();
        builder.Services.AddScoped<BufferCalculations>();
        builder.Services.AddScoped<PositionStore>();
        builder.Services.AddValidatedOptions<DemoDataOptions>(DemoDataOptions.SectionName);
        builder.Services.AddHostedService<DemoBuffers>();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapBufferEndpoints();
        app.MapInputEndpoints();
        return app;
    }
}
