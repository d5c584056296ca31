using System.ComponentModel.DataAnnotations;

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Giia.ServiceDefaults;

/// <summary>How long a service drains in-flight HTTP and gRPC calls after SIGTERM before it closes its connections.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Giia:Shutdown";

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "must be between 1 second and 5 minutes")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

public static class ServiceHosting
{
    public static TBuilder AddGracefulShutdown<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedOptions<ShutdownOptions>(ShutdownOptions.SectionName);

        // Kestrel stops accepting at once and waits for in-flight requests up to the host's shutdown timeout;
        // the connections to Postgres, Redis and NATS are disposed with the container after that.
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        return builder;
    }

    /// <summary>
    /// Declares connection strings the service cannot run without; a missing one stops start-up
    /// with a message naming <c>ConnectionStrings:{name}</c>.
    /// </summary>
    public static TBuilder RequireConnectionStrings<TBuilder>(this TBuilder builder, params string[] names)
        where TBuilder : IHostApplicationBuilder
    {
        foreach (var name in names)
        {
            builder.Services.AddOptions<RequiredConnectionString>(name)
                .Configure<IConfiguration>((option, configuration) => option.Value = configuration.GetConnectionString(name))
                .Validate(option => !string.IsNullOrWhiteSpace(option.Value),
                    $"ConnectionStrings:{name} is required (environment variable ConnectionStrings__{name}).")
                .ValidateOnStart();
        }

        return builder;
    }

    /// <summary>The command that runs the service's migrations and seeding to completion and exits (a Job, not a server).</summary>
    public const string MigrateCommand = "migrate";

    /// <summary>
    /// Runs the service, or with the <c>migrate</c> argument its migrations and seeding (every
    /// <see cref="IServiceMigration"/>) and exits 0 when they are done. An invalid or missing setting ends either with
    /// exit code 1 and one line naming the key, instead of a stack trace.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        args ??= Environment.GetCommandLineArgs()[1..];
        try
        {
            if (args.Contains(MigrateCommand, StringComparer.Ordinal))
            {
                // Nothing is started (no listener, no NATS, no background work): only what the migrations need is resolved.
                using var stopping = new CancellationTokenSource();
                using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                    System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
                    {
                        context.Cancel = true;
                        stopping.Cancel();
                    });
                foreach (var migration in app.Services.GetServices<IServiceMigration>())
                {
                    await migration.RunAsync(stopping.Token);
                }

                return 0;
            }

            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {string.Join(" ", ex.Failures)}");
            return 1;
        }
    }

    public sealed class RequiredConnectionString
    {
        public string? Value { get; set; }
    }
}
