using Giia.Auth.Data;
using Giia.Events;
using Giia.ServiceDefaults;

namespace Giia.Auth;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, AuthDbContext>("authdb");
        builder.AddServiceRedis("redis");
        builder.AddEventBus().AddOutbox<AuthDbContext>();
        builder.AddGrpcDefaults();
        builder.Services.AddProblemDetails();
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
