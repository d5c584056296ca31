using System.ComponentModel.DataAnnotations;

namespace Giia.Ddmrp.CatalogClient;

public sealed class CatalogClientOptions
{
    public const string SectionName = "Giia:CatalogClient";

    /// <summary>Catalog's gRPC address; <c>http://_grpc.catalog</c> asks service discovery for Catalog's endpoint named grpc.</summary>
    [Required]
    public Uri? GrpcAddress { get; set; } = new("http://_grpc.catalog");

    /// <summary>How long one read of Catalog may take before the calculation answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:00:30")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
