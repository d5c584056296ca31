using System.ComponentModel.DataAnnotations;

namespace Giia.Auth.Audit;

public sealed class AuditOptions
{
    public const string SectionName = "Giia:Audit";

    /// <summary>Record every permission check (the spec's <c>audit.enabled</c>); user actions are always recorded.</summary>
    public bool PermissionChecks { get; set; } = true;

    /// <summary>Records waiting to be written; beyond this, records are dropped and counted rather than slowing checks.</summary>
    [Range(1_000, 10_000_000)]
    public int QueueCapacity { get; set; } = 200_000;

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1_000;
}
