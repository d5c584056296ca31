using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Giia.HttpApi.OpenApi;


namespace Giia.Ddmrp.Inputs;

/// <summary>Usage or forecast: a product's quantity on a day.</summary>
public sealed record DailyQuantityInput(
    [Required] Guid? ProductId,
    [Required, Description("The day (UTC calendar date).")] DateOnly? Day,
    [Required, Range(typeof(decimal), "0", "1000000000000"), Description("Up to 4 decimals.")] decimal? Quantity);

[RequestExample("""{"rows":[{"productId":"0193f1c2-7d4e-7a51-9c1e-5b8f2a6d3e01","day":"2026-11-30","quantity":12}]}""")]
public sealed record DailyQuantitiesRequest([Required, MinLength(1), MaxLength(InputRules.MaxRows)] IReadOnlyList<DailyQuantityInput>? Rows);

public sealed record OnHandInput(
    [Required] Guid? ProductId,
    [Required, Range(typeof(decimal), "-1000000000000", "1000000000000"), Description("Up to 4 decimals; negative for a backlog.")] decimal? Quantity);

[RequestExample("""{"rows":[{"productId":"0193f1c2-7d4e-7a51-9c1e-5b8f2a6d3e01","quantity":140}]}""")]
public sealed record OnHandRequest([Required, MinLength(1), MaxLength(InputRules.MaxRows)] IReadOnlyList<OnHandInput>? Rows);

/// <summary>An open supply or demand line, by the caller's document reference: what is still open and when it is due.</summary>
public sealed record OpenLineInput(
    [Required, MinLength(1), MaxLength(InputRules.MaxReferenceLength), Description("The document line, e.g. PO-1042/3.")] string? Reference,
    [Required] Guid? ProductId,
    [Required] DateOnly? DueDate,
    [Required, Range(typeof(decimal), "0", "1000000000000"), Description("What is still open; up to 4 decimals.")] decimal? Quantity);

[RequestExample("""{"rows":[{"reference":"PO-1042/3","productId":"0193f1c2-7d4e-7a51-9c1e-5b8f2a6d3e01","dueDate":"2026-12-09","quantity":300}]}""")]
public sealed record OpenLinesRequest([Required, MinLength(1), MaxLength(InputRules.MaxRows)] IReadOnlyList<OpenLineInput>? Rows);

/// <summary>How many rows were stored (inserted or replaced).</summary>
public sealed record InputsAccepted(int Rows);
