using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Giia.HttpApi.OpenApi;

using static Giia.Catalog.Products.ProductLimits;

namespace Giia.Catalog.Products;

/// <summary>A product as written; the DDMRP fields are optional (no lead-time override, no order cycle, whole units, no adjustments).</summary>
[RequestExample("""{"sku":"BOLT-M8","name":"Hex bolt M8","description":"Zinc-plated, DIN 933","category":"fasteners","unitOfMeasure":"each","standardCost":0.12,"status":"active","bufferProfileId":null,"orderCycleDays":7,"unitPrecision":0}""")]
public sealed record ProductRequest(
    [Required, MaxLength(64), Description("Unique in the organization.")] string? Sku,
    [Required, MaxLength(200)] string? Name,
    [MaxLength(2000)] string? Description,
    [MaxLength(100)] string? Category,
    [Required, MaxLength(20)] string? UnitOfMeasure,
    [Required, Range(0d, 1_000_000_000d), Description("At most 4 decimals.")] decimal? StandardCost,
    [AllowedNames(typeof(ProductStatus)), Description("Default: active.")] string? Status,
    [Description("A buffer profile of the organization, or null for none.")] Guid? BufferProfileId,
    [Range(0, MaxLeadTimeDays), Description("Overrides the primary supplier's lead time; null for none.")] int? LeadTimeOverrideDays = null,
    [Range(0, MaxLeadTimeDays), Description("Default: 0 (no order cycle).")] int? OrderCycleDays = null,
    [Range(0, MaxUnitPrecision), Description("Decimals of the unit of measure; default 0 (whole units).")] int? UnitPrecision = null,
    [MaxLength(MaxDemandAdjustments)] IReadOnlyList<DemandAdjustmentView>? DemandAdjustments = null);
