using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Ddmrp.Api;
using Giia.Ddmrp.Data;
using Giia.HttpApi;
using Giia.HttpApi.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Giia.Ddmrp.Buffers;

public static class BufferEndpoints
{
    public const int DefaultHistorySize = 20;
    public const int MaxHistorySize = 100;

    public static readonly IReadOnlyList<string> Sorts = ["priority", "recent"];

    public static IEndpointRouteBuilder MapBufferEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/buffers").WithTags("Buffers");
        api.MapPost("/calculate", CalculateAsync).WithName("CalculateBuffer").ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Calculate a product's buffer")
            .WithDescription("Flow 4: reads the product and its buffer profile from Catalog with the caller's token, calculates ADU, zones, NFP, statuses and the recommended order from the stored positions, saves the calculation with its inputs and publishes buffer.calculated. 404 for a product of no organization of the caller's, 409 without a profile or lead time, 503 when Catalog does not answer. Needs `buffers:write`.").RequirePermission(Permissions.BuffersWrite)
            .WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        api.MapGet("/", ListAsync).WithName("ListBuffers")
            .WithSummary("List buffers (planning screen)")
            .WithDescription("One page of the organization's buffers, optionally of one planning status, most urgent first (lowest NFP as % of TOG) or newest first. Needs `buffers:read`.").RequirePermission(Permissions.BuffersRead).WithRequestBodyLimit(RequestBodyLimits.None);
        api.MapGet("/{productId}", GetAsync).WithName("GetBuffer")
            .WithSummary("Get a buffer with its history")
            .WithDescription("The product's latest calculation and up to 100 earlier ones, newest first. Needs `buffers:read`.").RequirePermission(Permissions.BuffersRead).WithRequestBodyLimit(RequestBodyLimits.None);
        api.MapGet("/{productId}/calculations/{calculationId}", GetCalculationAsync).WithName("GetBufferCalculation")
            .WithSummary("Get one calculation with its inputs")
            .WithDescription("A saved calculation with everything it was calculated from (Catalog's parameters, the positions read) and the parts of its result. Needs `buffers:read`.")
            .RequirePermission(Permissions.BuffersRead).WithRequestBodyLimit(RequestBodyLimits.None);
        api.MapBufferChartEndpoints();
        return endpoints;
    }

    private static async Task<Results<Ok<BufferView>, ValidationProblem, ProblemHttpResult>> CalculateAsync(CalculateRequest request,
        ClaimsPrincipal user, BufferCalculations calculations, HttpContext http, CancellationToken ct)
    {
        if (request.ProductId is not { } productId || productId == Guid.Empty)
        {
            return new FieldErrors().Add("productId", "productId is required (a product's UUID).").Problem();
        }

        var (saved, refusal) = await calculations.CalculateAsync(DdmrpApi.OrganizationOf(user), productId,
            http.Request.Headers.Authorization.ToString(), ct);
        if (refusal is not null)
        {
            if (refusal.Status == StatusCodes.Status503ServiceUnavailable)
            {
                http.Response.Headers.RetryAfter = "5";
            }

            return DdmrpApi.Problem(refusal.Status, refusal.Title, refusal.Detail);
        }

        return TypedResults.Ok(BufferView.Of(saved!));
    }

    private static async Task<Results<Ok<BufferHistoryView>, ValidationProblem, ProblemHttpResult>> GetAsync(string productId, int? historySize,
        ClaimsPrincipal user, DdmrpDbContext db, CancellationToken ct)
    {
        if (!DdmrpApi.TryParseId(productId, "productId", out var id, out var invalid))
        {
            return invalid!;
        }

        if (historySize is < 0 or > MaxHistorySize)
        {
            return new FieldErrors().Add("historySize", $"historySize must be between 0 and {MaxHistorySize}.").Problem();
        }

        var organizationId = DdmrpApi.OrganizationOf(user);
        var buffer = await db.Buffers.AsNoTracking().Include(b => b.Latest)
            .SingleOrDefaultAsync(b => b.OrganizationId == organizationId && b.ProductId == id, ct);
        if (buffer?.Latest is null)
        {
            return DdmrpApi.Problem(StatusCodes.Status404NotFound, "Buffer not found",
                $"No calculated buffer for product {id} in your organization; calculate it first.");
        }

        var history = db.Calculations.AsNoTracking().Where(c => c.OrganizationId == organizationId && c.ProductId == id);
        var total = await history.LongCountAsync(ct);
        var items = await history.OrderByDescending(c => c.CalculatedAt).ThenByDescending(c => c.Id)
            .Take(historySize ?? DefaultHistorySize).ToListAsync(ct);
        return TypedResults.Ok(new BufferHistoryView(BufferView.Of(buffer.Latest), [.. items.Select(BufferView.Of)], total));
    }

    /// <summary>A past calculation of a product's buffer with its inputs, so any figure it showed can be explained.</summary>
    private static async Task<Results<Ok<BufferCalculationView>, ValidationProblem, ProblemHttpResult>> GetCalculationAsync(string productId,
        string calculationId, ClaimsPrincipal user, DdmrpDbContext db, CancellationToken ct)
    {
        if (!DdmrpApi.TryParseId(productId, "productId", out var product, out var invalid)
            || !DdmrpApi.TryParseId(calculationId, "calculationId", out var id, out invalid))
        {
            return invalid!;
        }

        var organizationId = DdmrpApi.OrganizationOf(user);
        var calculation = await db.Calculations.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == id && c.ProductId == product && c.OrganizationId == organizationId, ct);
        if (calculation is null)
        {
            return DdmrpApi.Problem(StatusCodes.Status404NotFound, "Calculation not found",
                $"No calculation {id} of product {product} in your organization.");
        }

        using var inputs = System.Text.Json.JsonDocument.Parse(calculation.Inputs);
        return TypedResults.Ok(new BufferCalculationView(BufferView.Of(calculation), inputs.RootElement.Clone()));
    }

    /// <summary>The planning screen: the organization's buffers, most urgent first (lowest NFP as % of TOG) unless sorted by recency.</summary>
    private static async Task<Results<Ok<Page<BufferView>>, ValidationProblem>> ListAsync(string? status, string? sort, int? page, int? pageSize,
        ClaimsPrincipal user, DdmrpDbContext db, CancellationToken ct)
    {
        var request = new PageRequest(page, pageSize);
        var errors = new FieldErrors().OneOf("status", status, [.. BufferStatusNames.All]).OneOf("sort", sort, [.. Sorts]);
        foreach (var (field, messages) in request.Validate())
        {
            errors.Add(field, messages[0]);
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        var organizationId = DdmrpApi.OrganizationOf(user);
        var query = db.Buffers.AsNoTracking().Where(b => b.OrganizationId == organizationId);
        if (status is not null)
        {
            query = query.Where(b => b.PlanningStatus == status);
        }

        var ordered = sort == "recent"
            ? query.OrderByDescending(b => b.CalculatedAt).ThenBy(b => b.ProductId)
            : query.OrderBy(b => b.NetFlowPercent).ThenBy(b => b.ProductId);
        var total = await query.LongCountAsync(ct);
        var items = await ordered.Skip(request.Skip).Take(request.Size).Include(b => b.Latest).ToListAsync(ct);
        return TypedResults.Ok(new Page<BufferView>([.. items.Select(b => BufferView.Of(b.Latest!))], request.Number, request.Size, total));
    }
}
