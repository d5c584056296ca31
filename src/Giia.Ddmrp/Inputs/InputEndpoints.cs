using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Ddmrp.Api;
using Giia.HttpApi;

using Microsoft.AspNetCore.Http.HttpResults;

namespace Giia.Ddmrp.Inputs;

/// <summary>
/// The positions a buffer is calculated from, sent in bulk by the caller's ERP or WMS. Each endpoint is an idempotent
/// upsert: a row sent again replaces the stored one (same product and day, same product, same document reference), so
/// a batch can be retried safely. Rows belong to the caller's organization only.
/// </summary>
public static class InputEndpoints
{
    public static IEndpointRouteBuilder MapInputEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/buffers/inputs").WithTags("Buffer inputs").WithRequestBodyLimit(InputRules.MaxBodyBytes);
        api.MapPut("/usage", (DailyQuantitiesRequest request, ClaimsPrincipal user, PositionStore positions, CancellationToken ct) =>
            PutDailyAsync(request, DailyQuantityKind.Usage, user, positions, ct)).WithName("PutUsage")
            .WithSummary("Upsert daily usage")
            .WithDescription("Stores up to 1,000 rows of daily usage for products of the caller's organization; a row sent again replaces the stored one. Needs `buffers:write`.").RequirePermission(Permissions.BuffersWrite);
        api.MapPut("/forecast", (DailyQuantitiesRequest request, ClaimsPrincipal user, PositionStore positions, CancellationToken ct) =>
            PutDailyAsync(request, DailyQuantityKind.Forecast, user, positions, ct)).WithName("PutForecast")
            .WithSummary("Upsert daily forecast")
            .WithDescription("Stores up to 1,000 rows of daily forecast for products of the caller's organization; a row sent again replaces the stored one. Needs `buffers:write`.").RequirePermission(Permissions.BuffersWrite);
        api.MapPut("/on-hand", PutOnHandAsync).WithName("PutOnHand")
            .WithSummary("Upsert on-hand positions")
            .WithDescription("Stores up to 1,000 rows of on-hand positions for products of the caller's organization; a row sent again replaces the stored one. Needs `buffers:write`.").RequirePermission(Permissions.BuffersWrite);
        api.MapPut("/open-supply", (OpenLinesRequest request, ClaimsPrincipal user, PositionStore positions, CancellationToken ct) =>
            PutOpenLinesAsync(request, OpenLineKind.Supply, user, positions, ct)).WithName("PutOpenSupply")
            .WithSummary("Upsert open supply lines")
            .WithDescription("Stores up to 1,000 rows of open supply lines for products of the caller's organization; a row sent again replaces the stored one. Needs `buffers:write`.").RequirePermission(Permissions.BuffersWrite);
        api.MapPut("/open-demand", (OpenLinesRequest request, ClaimsPrincipal user, PositionStore positions, CancellationToken ct) =>
            PutOpenLinesAsync(request, OpenLineKind.Demand, user, positions, ct)).WithName("PutOpenDemand")
            .WithSummary("Upsert open demand lines")
            .WithDescription("Stores up to 1,000 rows of open demand lines for products of the caller's organization; a row sent again replaces the stored one. Needs `buffers:write`.").RequirePermission(Permissions.BuffersWrite);
        return endpoints;
    }

    private static async Task<Results<Ok<InputsAccepted>, ValidationProblem>> PutDailyAsync(DailyQuantitiesRequest request, DailyQuantityKind kind,
        ClaimsPrincipal user, PositionStore positions, CancellationToken ct)
    {
        var errors = new FieldErrors().Rows(request.Rows);
        var seen = new HashSet<(Guid, DateOnly)>();
        for (var i = 0; !errors.Any && i < request.Rows!.Count; i++)
        {
            var row = request.Rows[i];
            errors.ProductId(InputRules.Row(i, "productId"), row?.ProductId)
                .Day(InputRules.Row(i, "day"), row?.Day)
                .Quantity(InputRules.Row(i, "quantity"), row?.Quantity);
            // One statement cannot write the same row twice: a repeated key is the caller's mistake, said as such.
            if (!errors.Any && !seen.Add((row!.ProductId!.Value, row.Day!.Value)))
            {
                errors.Add(InputRules.Row(i, "day"), "The same product and day appear twice in this request.");
            }
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        var rows = request.Rows!;
        await positions.UpsertDailyAsync(DdmrpApi.OrganizationOf(user), kind,
            [.. rows.Select(r => (r!.ProductId!.Value, r.Day!.Value, r.Quantity!.Value))], ct);
        return TypedResults.Ok(new InputsAccepted(rows.Count));
    }

    private static async Task<Results<Ok<InputsAccepted>, ValidationProblem>> PutOnHandAsync(OnHandRequest request, ClaimsPrincipal user,
        PositionStore positions, CancellationToken ct)
    {
        var errors = new FieldErrors().Rows(request.Rows);
        var seen = new HashSet<Guid>();
        for (var i = 0; !errors.Any && i < request.Rows!.Count; i++)
        {
            var row = request.Rows[i];
            errors.ProductId(InputRules.Row(i, "productId"), row?.ProductId)
                .Quantity(InputRules.Row(i, "quantity"), row?.Quantity, allowNegative: true);
            if (!errors.Any && !seen.Add(row!.ProductId!.Value))
            {
                errors.Add(InputRules.Row(i, "productId"), "The same product appears twice in this request.");
            }
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        var rows = request.Rows!;
        await positions.UpsertOnHandAsync(DdmrpApi.OrganizationOf(user), [.. rows.Select(r => (r!.ProductId!.Value, r.Quantity!.Value))], ct);
        return TypedResults.Ok(new InputsAccepted(rows.Count));
    }

    private static async Task<Results<Ok<InputsAccepted>, ValidationProblem>> PutOpenLinesAsync(OpenLinesRequest request, OpenLineKind kind,
        ClaimsPrincipal user, PositionStore positions, CancellationToken ct)
    {
        var errors = new FieldErrors().Rows(request.Rows);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; !errors.Any && i < request.Rows!.Count; i++)
        {
            var row = request.Rows[i];
            errors.Text(InputRules.Row(i, "reference"), row?.Reference, InputRules.MaxReferenceLength)
                .ProductId(InputRules.Row(i, "productId"), row?.ProductId)
                .Day(InputRules.Row(i, "dueDate"), row?.DueDate)
                .Quantity(InputRules.Row(i, "quantity"), row?.Quantity);
            if (!errors.Any && !seen.Add(row!.Reference!.Trim()))
            {
                errors.Add(InputRules.Row(i, "reference"), "The same reference appears twice in this request.");
            }
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        var rows = request.Rows!;
        await positions.UpsertOpenLinesAsync(DdmrpApi.OrganizationOf(user), kind,
            [.. rows.Select(r => (r!.Reference!.Trim(), r.ProductId!.Value, r.DueDate!.Value, r.Quantity!.Value))], ct);
        return TypedResults.Ok(new InputsAccepted(rows.Count));
    }
}
