using Giia.DlqWorker.Data;
using Giia.ServiceDefaults;

namespace Giia.DlqWorker;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, DlqDbContext>("dlqdb");
        builder.AddNatsClient("nats");
        builder.Services.AddProblemDetails();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
