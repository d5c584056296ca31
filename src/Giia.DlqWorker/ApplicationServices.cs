using Giia.Auth.Client;
using Giia.Data;
using Giia.DlqWorker.Alerts;
using Giia.DlqWorker.Api;
using Giia.DlqWorker.Data;
using Giia.DlqWorker.Parking;
using Giia.DlqWorker.Retry;
using Giia.Events;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;
using Giia.ServiceDefaults;

namespace Giia.DlqWorker;

internal static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<WebApplicationBuilder, DlqDbContext>("dlqdb");
        builder.AddEventBus().AddOutbox<DlqDbContext>();
        builder.AddGiiaAuthClient();
        builder.AddHttpApi(new ApiContract("GIIA Dead-letter API",
            "Events that a consumer failed on: their retries, the parked ones and what operators did with them (replay, discard). "
            + "Every answer that is not a success is RFC 9457 problem+json.",
            new Uri("http://localhost:8084"), "dlq", new Dictionary<string, string>
            {
                ["Dead letters"] = "Failed deliveries of one organization, parked after their retries, for an operator to replay or discard.",
            }));
        builder.Services.AddValidatedOptions<DlqOptions>(DlqOptions.SectionName);
        // One attempt, no resilience handler (a retried POST is a duplicate alert) and no request logging (the URL is a secret).
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental
        builder.Services.AddHttpClient(DeadLetterAlerts.HttpClientName).RemoveAllResilienceHandlers().RemoveAllLoggers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<DeadLetterAlerts>();
        builder.Services.AddSingleton<RetryPublisher>();
        builder.Services.AddScoped<DeadLetterLedger>();
        builder.Services.AddScoped<DeadLetterReplay>();
        builder.Services.AddHostedService<DeadLetterIntake>();
        builder.Services.AddHostedService<RetryScheduler>();
        builder.Services.AddHostedService<DeadLetterSweeper>();
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseHttpApi();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDeadLetterEndpoints();
        return app;
    }
}
