using Giia.ServiceDefaults;


using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Net;

using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Giia.Nats;

/// <summary>
/// Client integration for NATS, equivalent to the official Aspire.NATS.Net: one shared connection,
/// a JetStream context, a readiness check that proves JetStream answers, and NATS.Net's telemetry.
/// </summary>
public static class NatsClientExtensions
{
    /// <summary>The ActivitySource and Meter name NATS.Net reports under.</summary>
    public const string NatsTelemetryName = "NATS.Net";

    /// <summary>
    /// A PEM file of the CA that signed the NATS servers' certificates (deployed: <c>/etc/nats-ca/ca.crt</c> from a Secret),
    /// for <c>tls://</c> URLs; unset, the system's trust store decides.
    /// </summary>
    public const string CaFileSetting = "Giia:Nats:CaFile";

    /// <summary>
    /// The inbox prefix of a connection as <paramref name="user"/>: <c>_INBOX.{user}</c>, the only inbox the server lets
    /// that user subscribe to; NATS's own <c>_INBOX</c> without a user.
    /// </summary>
    public static string InboxPrefixFor(string? user) => string.IsNullOrEmpty(user) ? "_INBOX" : $"_INBOX.{user}";

    private static string? UserOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? Uri.UnescapeDataString(uri.UserInfo.Split(':', 2)[0])
            : null;

    public static TBuilder AddNatsClient<TBuilder>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireConnectionStrings(connectionName);

        builder.Services.AddSingleton(services =>
        {
            var url = services.GetRequiredService<IConfiguration>().GetConnectionString(connectionName)
                ?? throw new OptionsValidationException(connectionName, typeof(NatsOpts),
                    [$"ConnectionStrings:{connectionName} is required."]);
            var caFile = services.GetRequiredService<IConfiguration>()[CaFileSetting];
            return new NatsConnection(NatsOpts.Default with
            {
                Url = url,
                TlsOpts = string.IsNullOrEmpty(caFile) ? NatsTlsOpts.Default : new NatsTlsOpts { CaFile = caFile, Mode = TlsMode.Require },
                Name = builder.Environment.ApplicationName,
                // Each service's NATS user may subscribe to its own inbox only, so replies to its requests (JetStream
                // acknowledgements, pulled messages) never reach another service.
                InboxPrefix = InboxPrefixFor(UserOf(url)),
                LoggerFactory = services.GetRequiredService<ILoggerFactory>(),
                // Keep trying for as long as the service runs: NATS being away is a state to ride out, not a crash.
                MaxReconnectRetry = -1,
            });
        });
        builder.Services.AddSingleton<INatsConnection>(services => services.GetRequiredService<NatsConnection>());
        builder.Services.AddSingleton<INatsClient>(services => services.GetRequiredService<NatsConnection>());
        builder.Services.AddSingleton<INatsJSContext>(services => services.GetRequiredService<INatsConnection>().CreateJetStreamContext());

        // Degraded, not Unhealthy: the outbox keeps events until NATS is back and consumers resume, so the service
        // serves correctly meanwhile; readiness must not take every pod out of its Service over a shared dependency.
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(NatsTelemetryName));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(NatsTelemetryName));

        builder.Services.AddHealthChecks().AddCheck<NatsJetStreamHealthCheck>("nats", HealthStatus.Degraded, timeout: TimeSpan.FromSeconds(3));
        return builder;
    }

    /// <summary>Healthy only when JetStream answers an account-info request, not merely when the socket is open.</summary>
    private sealed class NatsJetStreamHealthCheck(INatsJSContext jetStream) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var account = await jetStream.GetAccountInfoAsync(cancellationToken);
                return HealthCheckResult.Healthy($"JetStream: {account.Streams} streams");
            }
            catch (Exception ex) when (ex is NatsException or OperationCanceledException or TimeoutException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"JetStream did not answer: {ex.Message}", ex);
            }
        }
    }
}
