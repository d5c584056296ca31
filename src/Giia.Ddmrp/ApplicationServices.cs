using Giia.Auth.Client;
using Giia.Catalog.Grpc.V1;
using Giia.Ddmrp.Buffers;
using Giia.Ddmrp.CatalogClient;
using Giia.Ddmrp.Data;
using Giia.Ddmrp.Demo;
using Giia.Ddmrp.Inputs;
using Giia.Events;
using Giia.ServiceDefaults;

using Microsoft.Extensions.Options;

namespace Giia.Ddmrp;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, DdmrpDbContext>("ddmrpdb");
        builder.AddEventBus().AddOutbox<DdmrpDbContext>();
        builder.AddGiiaAuthClient();
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
