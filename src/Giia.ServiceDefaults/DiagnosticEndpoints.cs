using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Giia.ServiceDefaults;

/// <summary>
/// Opt-in endpoints for operators and tests, off unless <c>Giia:Diagnostics:DelayEndpoint</c> is true:
/// <c>GET /_diagnostics/delay?ms=N</c> holds a request open for N ms (at most 60 s), which is how a drain on shutdown is checked.
/// </summary>
public static class DiagnosticEndpoints
{
    public const string DelayEndpointSetting = "Giia:Diagnostics:DelayEndpoint";

    public static WebApplication MapDiagnosticEndpoints(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(DelayEndpointSetting))
        {
            return app;
        }

        app.MapGet("/_diagnostics/delay", async Task<Results<Ok<DelayResult>, ProblemHttpResult>> (int ms) =>
        {
            if (ms is < 0 or > 60_000)
            {
                return TypedResults.Problem(detail: "ms must be between 0 and 60000.", statusCode: StatusCodes.Status400BadRequest);
            }

            // Deliberately not cancelled by shutdown: the point is to see an in-flight request finish.
            await Task.Delay(ms, CancellationToken.None);
            return TypedResults.Ok(new DelayResult(ms));
        }).ExcludeFromDescription();
        return app;
    }

    public sealed record DelayResult(int DelayedMs);
}
