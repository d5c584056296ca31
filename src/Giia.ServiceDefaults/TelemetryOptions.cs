using System.ComponentModel.DataAnnotations;

namespace Giia.ServiceDefaults;

/// <summary>What each service's tracing keeps (<c>Giia:Telemetry</c>); metrics and logs are not sampled.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Giia:Telemetry";

    /// <summary>The ratio used outside Development when the setting is absent.</summary>
    public const double ProductionTraceSampleRatio = 0.05;

    /// <summary>
    /// The share of new traces recorded (0 to 1), decided once at the root from the trace id; a call that arrives with a
    /// sampled parent is always recorded, so a trace is whole or absent across services. 1.0 in Development, where every
    /// request should show in the dashboard; <see cref="ProductionTraceSampleRatio"/> elsewhere unless set.
    /// </summary>
    [Range(0.0, 1.0)]
    public double? TraceSampleRatio { get; set; }

    public double EffectiveTraceSampleRatio(bool development) => TraceSampleRatio ?? (development ? 1.0 : ProductionTraceSampleRatio);
}
