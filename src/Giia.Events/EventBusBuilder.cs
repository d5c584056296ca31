using Giia.Events.Access;
using Giia.Events.Outbox;
using Giia.Events.Subscriptions;
using Giia.Nats;
using Giia.ServiceDefaults;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
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
        builder.Services.TryAddSingleton(new StreamOwnership(NatsAccessTable.For(service)?.OwnedStreams));
        foreach (var stream in EventStreams.Shared)
        {
            builder.Services.AddSingleton(stream);
        }

        builder.Services.AddHostedService<StreamProvisioner>();
        builder.Services.TryAddSingleton<StreamUsageMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StreamUsageMonitor>());
        builder.Services.AddHealthChecks().AddCheck<StreamUsageMonitor>("streams");
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

    /// <summary>
    /// Declares a stream of this service's own (e.g. a work queue) besides the shared ones: provisioned, monitored
    /// and used by subscriptions to its subjects like them.
    /// </summary>
    public EventBusBuilder AddStream(StreamDefinition stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Builder.Services.AddSingleton(stream);
        return this;
    }

    /// <summary>Relays events written to <typeparamref name="TContext"/>'s outbox (its model must call <c>AddEventTables()</c>).</summary>
    public EventBusBuilder AddOutbox<TContext>() where TContext : DbContext
    {
        // A singleton: a pooled context's options are built once, from the root provider.
        Builder.Services.TryAddSingleton<OutboxCommitInterceptor>();
        Builder.Services.ConfigureDbContext<TContext>((services, options) => services.GetRequiredService<OutboxCommitInterceptor>().AddTo(options));
        Builder.Services.AddHostedService<OutboxRelay<TContext>>();
        Builder.Services.AddHostedService<OutboxHousekeeping<TContext>>();
        return this;
    }

    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> to <typeparamref name="TEvent"/> through a durable consumer named
    /// <c>{service}-{name}</c>. <paramref name="configure"/> sets this subscription's defaults (e.g. a small
    /// <c>MaxAckPending</c> for a slow handler) over <c>Giia:Events:Consumers</c>; <c>Giia:Events:Subscriptions:{consumer}</c>
    /// overrides both per environment.
    /// </summary>
    public EventBusBuilder AddSubscription<TEvent, THandler>(string name, Action<ConsumerOptions>? configure = null)
        where TEvent : notnull
        where THandler : class, IHandleEvent<TEvent>
    {
        var attribute = GiiaEventAttribute.Of(typeof(TEvent));
        var subject = EventSchemaRegistry.Default.Get(attribute.Type, attribute.SchemaVersion).NatsSubject;
        var consumer = $"{Service}-{name}";
        NatsAccessTable.EnsureGranted(Service, consumer, subject);
        Builder.Services.TryAddScoped<THandler>();
        Builder.Services.AddSingleton<IHostedService>(services =>
        {
            var settings = SubscriptionSettings(services, consumer, configure);
            return new SubscriptionWorker<TEvent, THandler>(
                new SubscriptionDefinition(consumer, attribute.Type, subject, settings),
                services.GetRequiredService<INatsJSContext>(),
                services.GetRequiredService<IServiceScopeFactory>(),
                services.GetRequiredService<EventSchemaRegistry>(),
                services.GetRequiredService<StreamProvisioning>(),
                services.GetServices<StreamDefinition>(),
                services.GetRequiredService<EventsMetrics>(),
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<SubscriptionWorker<TEvent, THandler>>>());
        });
        return this;
    }

    /// <summary>The service-wide consumer settings, then the code's defaults for this subscription, then its own section.</summary>
    private static ConsumerOptions SubscriptionSettings(IServiceProvider services, string consumer, Action<ConsumerOptions>? configure)
    {
        var settings = services.GetRequiredService<IOptions<EventsOptions>>().Value.Consumers.Copy();
        configure?.Invoke(settings);
        var path = $"{EventsOptions.SectionName}:Subscriptions:{consumer}";
        var section = services.GetRequiredService<IConfiguration>().GetSection(path);
        if (section.GetSection(nameof(ConsumerOptions.RetrySchedule)).Exists())
        {
            settings.RetrySchedule = null; // replaced, not appended to
        }

        section.Bind(settings);
        var failures = ValidatedOptions.Failures(settings, path);
        return failures.Count == 0 ? settings : throw new OptionsValidationException(path, typeof(ConsumerOptions), failures);
    }
}
