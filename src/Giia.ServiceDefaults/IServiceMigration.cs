namespace Giia.ServiceDefaults;

/// <summary>One-off work the service's <c>migrate</c> command runs to completion before any instance serves.</summary>
public interface IServiceMigration
{
    Task RunAsync(CancellationToken cancellationToken);
}
