using Giia.Auth.Client;
using Giia.DlqWorker.Alerts;
using Giia.DlqWorker.Api;
using Giia.DlqWorker.Data;
using Giia.DlqWorker.Parking;
using Giia.DlqWorker.Retry;
using Giia.Events;
using Giia.ServiceDefaults;

namespace Giia.DlqWorker;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, DlqDbContext>("dlqdb");
        builder.AddEventBus().AddOutbox<DlqDbContext>();
        builder.AddGiiaAuthClient();
        builder.Services.AddValidatedOptions<DlqOptions>(DlqOptions.SectionName);
        builder.Services.AddHttpClient<DeadLetterAlerts>();
        builder.Services.AddSingleton<RetryPublisher>();
        builder.Services.AddScoped<DeadLetterLedger>();
        builder.Services.AddScoped<DeadLetterReplay>();
        builder.Services.AddHostedService<DeadLetterIntake>();
        builder.Services.AddHostedService<RetryScheduler>();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDeadLetterEndpoints();
        return app;
    }
}
