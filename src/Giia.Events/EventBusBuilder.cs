using Giia.Events.Outbox;
using Giia.Events.Subscriptions;
using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using NATS.Client.JetStream;

namespace Giia.Events;

public static class EventBusExtensions
{
    /// <summary>
    /// The event backbone for a service: NATS client, schemas, streams, metrics. Add an outbox for the service's
    /// DbContext and subscriptions for the events it reacts to on the returned builder.
    /// </summary>
    public static EventBusBuilder AddEventBus(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddNatsClient("nats");
        var service = ServiceName(builder.Environment.ApplicationName);
        builder.Services.AddValidatedOptions<EventsOptions>(EventsOptions.SectionName)
            .PostConfigure(options => options.Source ??= $"/giia/{service}");
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(EventSchemaRegistry.Default);
        builder.Services.TryAddSingleton<EventsMetrics>();
        builder.Services.TryAddSingleton<EventOutbox>();
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<StreamProvisioning>();
        builder.Services.AddHostedService<StreamProvisioner>();
        return new EventBusBuilder(builder, service);
    }

    /// <summary><c>Giia.DlqWorker</c> → <c>dlqworker</c>: the prefix of this service's durable consumer names.</summary>
    private static string ServiceName(string applicationName) =>
        applicationName.Split('.').Last().ToLowerInvariant();
}

public sealed class EventBusBuilder(IHostApplicationBuilder builder, string service)
{
    public IHostApplicationBuilder Builder { get; } = builder;

    /// <summary>The service's short name, e.g. <c>auth</c>.</summary>
    public string Service { get; } = service;

    /// <summary>Relays events written to <typeparamref name="TContext"/>'s outbox (its model must call <c>AddEventTables()</c>).</summary>
    public EventBusBuilder AddOutbox<TContext>() where TContext : DbContext
    {
        Builder.Services.ConfigureDbContext<TContext>(options => options.AddInterceptors(OutboxCommitInterceptor.Instance));
        Builder.Services.AddHostedService<OutboxRelay<TContext>>();
        Builder.Services.AddHostedService<OutboxHousekeeping<TContext>>();
        return this;
    }

    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> to <typeparamref name="TEvent"/> through a durable consumer named
    /// <c>{service}-{name}</c>.
    /// </summary>
    public EventBusBuilder AddSubscription<TEvent, THandler>(string name)
        where TEvent : notnull
        where THandler : class, IHandleEvent<TEvent>
    {
        var attribute = GiiaEventAttribute.Of(typeof(TEvent));
        var subject = EventSchemaRegistry.Default.Get(attribute.Type, attribute.SchemaVersion).NatsSubject;
        var definition = new SubscriptionDefinition($"{Service}-{name}", attribute.Type, subject);
        Builder.Services.TryAddScoped<THandler>();
        Builder.Services.AddSingleton<IHostedService>(services => new SubscriptionWorker<TEvent, THandler>(
            definition,
            services.GetRequiredService<INatsJSContext>(),
            services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<EventSchemaRegistry>(),
            services.GetRequiredService<StreamProvisioning>(),
            services.GetRequiredService<IOptions<EventsOptions>>(),
            services.GetRequiredService<EventsMetrics>(),
            services.GetRequiredService<ILogger<SubscriptionWorker<TEvent, THandler>>>()));
        return this;
    }
}
