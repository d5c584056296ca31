using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Giia.Catalog.Suppliers;
using Giia.HttpApi.OpenApi;

namespace Giia.Catalog.ProductSuppliers;

[RequestExample("""{"leadTimeDays":10,"unitCost":0.09,"minimumOrderQuantity":500,"isPrimary":true,"orderMultiple":100}""")]
public sealed record ProductSupplierRequest(
    [Required, Range(0, SupplierLimits.MaxLeadTimeDays)] int? LeadTimeDays,
    [Required, Range(0d, 1_000_000_000d), Description("At most 4 decimals.")] decimal? UnitCost,
    [Range(0d, 1_000_000_000d), Description("At most 4 decimals; default 0.")] decimal? MinimumOrderQuantity,
    [Description("Whether this is the product's primary supplier; default false.")] bool? IsPrimary,
    [Range(0d, 1_000_000_000d), Description("Orders are rounded up to a multiple of it; at most 4 decimals; default 0 (none).")] decimal? OrderMultiple = null);
