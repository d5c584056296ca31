using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Giia.ServiceDefaults;

/// <summary>The activity source and meter names GIIA's own code reports under.</summary>
public static class GiiaTelemetry
{
    public const string ActivitySourceName = "Giia";
    public const string MeterName = "Giia";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
