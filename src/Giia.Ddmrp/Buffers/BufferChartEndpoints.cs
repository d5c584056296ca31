using System.Security.Claims;
using System.Text.Json;

using Giia.Auth.Client;
using Giia.Ddmrp.Api;
using Giia.Ddmrp.Data;
using Giia.Ddmrp.Engine.Charts;
using Giia.HttpApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.Buffers;

/// <summary>The buffer as pictures (SVG): what a planner looks at instead of reading the figures.</summary>
public static class BufferChartEndpoints
{
    public const string SvgContentType = "image/svg+xml";

    public static RouteGroupBuilder MapBufferChartEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/{productId}/chart.svg", ChartAsync).WithName("GetBufferChart")
            .WithSummary("Draw a buffer (SVG)")
            .WithDescription("The latest calculation as a column of red, yellow and green with the NFP and on-hand marks. Needs `buffers:read`.").RequirePermission(Permissions.BuffersRead)
            .WithRequestBodyLimit(RequestBodyLimits.None).Produces<string>(StatusCodes.Status200OK, SvgContentType);
        api.MapGet("/{productId}/history.svg", HistoryAsync).WithName("GetBufferHistoryChart")
            .WithSummary("Draw a buffer's history (SVG)")
            .WithDescription("The zones as stepped bands over the last calculations, oldest left, with the NFP and on-hand lines. Needs `buffers:read`.").RequirePermission(Permissions.BuffersRead)
            .WithRequestBodyLimit(RequestBodyLimits.None).Produces<string>(StatusCodes.Status200OK, SvgContentType);
        return api;
    }

    /// <summary>The latest calculation: the zones stacked red, yellow, green with the NFP and on-hand marks.</summary>
    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> ChartAsync(string productId, ClaimsPrincipal user,
        DdmrpDbContext db, HttpContext http, CancellationToken ct)
    {
        if (!DdmrpApi.TryParseId(productId, "productId", out var id, out var invalid))
        {
            return invalid!;
        }

        var organizationId = DdmrpApi.OrganizationOf(user);
        var latest = await db.Buffers.AsNoTracking().Where(b => b.OrganizationId == organizationId && b.ProductId == id)
            .Select(b => b.Latest!).Select(Picture).SingleOrDefaultAsync(ct);
        if (latest is null)
        {
            return NotCalculated(id);
        }

        return Svg(http, BufferChart.Draw(latest.Picture, $"Buffer of {await TitleOfAsync(db, latest.Id, id, ct)}"));
    }

    /// <summary>The zones and the NFP over the product's last calculations (<c>historySize</c>, default 20, at most 100).</summary>
    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> HistoryAsync(string productId, int? historySize,
        ClaimsPrincipal user, DdmrpDbContext db, HttpContext http, CancellationToken ct)
    {
        if (!DdmrpApi.TryParseId(productId, "productId", out var id, out var invalid))
        {
            return invalid!;
        }

        if (historySize is < 1 or > BufferEndpoints.MaxHistorySize)
        {
            return new FieldErrors().Add("historySize", $"historySize must be between 1 and {BufferEndpoints.MaxHistorySize}.").Problem();
        }

        var organizationId = DdmrpApi.OrganizationOf(user);
        // Only the figures drawn, not each calculation's inputs (which carry every open line of the product).
        var newestFirst = await db.Calculations.AsNoTracking().Where(c => c.OrganizationId == organizationId && c.ProductId == id)
            .OrderByDescending(c => c.CalculatedAt).ThenByDescending(c => c.Id)
            .Take(historySize ?? BufferEndpoints.DefaultHistorySize).Select(Picture).ToListAsync(ct);
        if (newestFirst.Count == 0)
        {
            return NotCalculated(id);
        }

        // Oldest first, in the order the database gave (calculations made in the same instant keep their id order).
        var history = newestFirst.AsEnumerable().Reverse().Select(p => p.Picture).ToList();
        return Svg(http, BufferChart.DrawHistory(history, $"Buffer history of {await TitleOfAsync(db, newestFirst[0].Id, id, ct)}"));
    }

    /// <summary>The SKU the calculation was made for (kept with its inputs), else the product id.</summary>
    private static async Task<string> TitleOfAsync(DdmrpDbContext db, Guid calculationId, Guid productId, CancellationToken ct)
    {
        var inputs = await db.Calculations.AsNoTracking().Where(c => c.Id == calculationId).Select(c => c.Inputs).SingleAsync(ct);
        using var document = JsonDocument.Parse(inputs);
        return document.RootElement.TryGetProperty("catalog", out var catalog) && catalog.TryGetProperty("sku", out var sku)
            && sku.ValueKind == JsonValueKind.String
            ? sku.GetString()!
            : productId.ToString();
    }

    private static ContentHttpResult Svg(HttpContext http, string svg)
    {
        // The picture is data, never a document that runs anything, even if opened directly in a browser.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Content(svg, SvgContentType, System.Text.Encoding.UTF8);
    }

    private sealed record IdentifiedPicture(Guid Id, BufferPicture Picture);

    private static readonly System.Linq.Expressions.Expression<Func<BufferCalculationRecord, IdentifiedPicture>> Picture = c =>
        new IdentifiedPicture(c.Id, new BufferPicture(c.CalculatedAt, c.TopOfRed, c.TopOfYellow, c.TopOfGreen, c.NetFlowPosition, c.OnHand,
            BufferStatusNames.Parse(c.PlanningStatus)));

    private static ProblemHttpResult NotCalculated(Guid productId) =>
        DdmrpApi.Problem(StatusCodes.Status404NotFound, "Buffer not found",
            $"No calculated buffer for product {productId} in your organization; calculate it first.");
}
