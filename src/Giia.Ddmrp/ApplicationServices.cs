using Giia.Auth.Client;
using Giia.Catalog.Grpc.V1;
using Giia.Data;
using Giia.Ddmrp.Buffers;
using Giia.Ddmrp.CatalogClient;
using Giia.Ddmrp.CatalogCopy;
using Giia.Ddmrp.Data;
using Giia.Ddmrp.Demo;
using Giia.Ddmrp.Inputs;
using Giia.Ddmrp.Recalculations;
using Giia.Events;
using Giia.Events.Contracts;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;
using Giia.ServiceDefaults;

using Microsoft.Extensions.Options;

namespace Giia.Ddmrp;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, DdmrpDbContext>("ddmrpdb");
        builder.AddEventBus().AddOutbox<DdmrpDbContext>()
            // The recalculation chunks: a work queue, so an acknowledged chunk is gone and each is taken by one replica.
            .AddStream(EventStreams.DdmrpWorkQueue)
            // Chunks are slow work: a few unacknowledged across the consumer (shared by the replicas; a chunk waiting
            // behind others takes seconds, far inside its ack wait), a long ack wait and handler timeout.
            .AddSubscription<BufferRecalculationChunk, RecalculationChunkHandler>("recalculation", c =>
            {
                c.MaxAckPending = 4;
                c.AckWait = TimeSpan.FromMinutes(5);
                c.HandlerTimeout = TimeSpan.FromMinutes(4);
            })
            .AddCatalogCopy();
        builder.AddGiiaAuthClient();
        builder.AddHttpApi(new ApiContract("GIIA Buffer engine API",
            "DDMRP buffers: the positions they are calculated from, flow 4's calculation through Catalog, their history, the "
            + "planning screen and pictures. Every answer that is not a success is RFC 9457 problem+json.",
            new Uri("http://localhost:8085"), "ddmrp", new Dictionary<string, string>
            {
                ["Buffers"] = "Calculated buffers of the organization's products: calculate, read with history, list by priority, draw.",
                ["Recalculations"] = "Background jobs that recalculate many buffers: the whole organization on request or nightly, and the buffers a Catalog change affects.",
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
        builder.Services.AddScoped<CatalogCopyStore>();
        builder.Services.AddScoped<RecalculationJobs>();
        builder.Services.AddValidatedOptions<RecalculationOptions>(RecalculationOptions.SectionName);
        builder.Services.AddHostedService<NightlyRecalculation>();
        builder.Services.AddValidatedOptions<DemoDataOptions>(DemoDataOptions.SectionName);
        builder.Services.AddHostedService<DemoBuffers>();
        return builder;
    }

    /// <summary>The copy of Catalog recalculations read: one durable consumer per Catalog event the buffers depend on.</summary>
    private static EventBusBuilder AddCatalogCopy(this EventBusBuilder events) => events
        .AddSubscription<ProductCreated, CatalogEventHandlers>("copy-product-created")
        .AddSubscription<ProductUpdated, CatalogEventHandlers>("copy-product-updated")
        .AddSubscription<ProductDeleted, CatalogEventHandlers>("copy-product-deleted")
        .AddSubscription<BufferProfileCreated, CatalogEventHandlers>("copy-profile-created")
        .AddSubscription<BufferProfileUpdated, CatalogEventHandlers>("copy-profile-updated")
        .AddSubscription<BufferProfileDeleted, CatalogEventHandlers>("copy-profile-deleted")
        .AddSubscription<SupplierCreated, CatalogEventHandlers>("copy-supplier-created")
        .AddSubscription<SupplierUpdated, CatalogEventHandlers>("copy-supplier-updated")
        .AddSubscription<SupplierDeleted, CatalogEventHandlers>("copy-supplier-deleted")
        .AddSubscription<ProductSupplierLinked, CatalogEventHandlers>("copy-link-created")
        .AddSubscription<ProductSupplierLinkUpdated, CatalogEventHandlers>("copy-link-updated")
        .AddSubscription<ProductSupplierUnlinked, CatalogEventHandlers>("copy-link-deleted");

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseHttpApi();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapBufferEndpoints();
        app.MapInputEndpoints();
        app.MapRecalculationEndpoints();
        return app;
    }
}
