using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http;

namespace Giia.ServiceDefaults;

/// <summary>The activity source and meter names GIIA's own code reports under.</summary>
public static class GiiaTelemetry
{
    public const string ActivitySourceName = "Giia";
    public const string MeterName = "Giia";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>
    /// Set on an outgoing request whose URL is a secret (a webhook with its token in the path): no client span, so the
    /// URL never reaches a trace.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> Untraced = new("giia.untraced");
}
