using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Giia.HttpApi.OpenApi;


namespace Giia.Catalog.Suppliers;

[RequestExample("""{"code":"ACME","name":"Acme Fasteners","contactName":"Ana Ruiz","contactEmail":"orders@acme.example","contactPhone":"+34 600 000 000","defaultLeadTimeDays":12,"status":"active"}""")]
public sealed record SupplierRequest(
    [Required, MaxLength(64), Description("Unique in the organization.")] string? Code,
    [Required, MaxLength(200)] string? Name,
    [MaxLength(200)] string? ContactName,
    [EmailAddress] string? ContactEmail,
    [MaxLength(50)] string? ContactPhone,
    [Required, Range(0, SupplierLimits.MaxLeadTimeDays)] int? DefaultLeadTimeDays,
    [AllowedNames(typeof(SupplierStatus)), Description("Default: active.")] string? Status);
