using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Giia.HttpApi.OpenApi;

using static Giia.Catalog.BufferProfiles.BufferProfileLimits;

namespace Giia.Catalog.BufferProfiles;

/// <summary>A profile as written; the ADU and spike parameters are optional (their defaults: 90 and 90 days, alpha 0.3,
/// weights 0.5 / 0.5, spikes at 50 % of the red zone within the decoupled lead time).</summary>
[RequestExample("""{"name":"Fast movers","description":"Short lead time, low variability","aduMethod":"average","leadTimeFactor":0.5,"variabilityFactor":0.25,"status":"active","aduHorizonDays":90}""")]
public sealed record BufferProfileRequest(
    [Required, MaxLength(100), Description("Unique in the organization.")] string? Name,
    [MaxLength(2000)] string? Description,
    [Required, AllowedNames(typeof(AduMethod))] string? AduMethod,
    [Required, Range(0d, 100d, MinimumIsExclusive = true), Description("At most 4 decimals.")] decimal? LeadTimeFactor,
    [Required, Range(0d, 100d, MinimumIsExclusive = true), Description("At most 4 decimals.")] decimal? VariabilityFactor,
    [AllowedNames(typeof(BufferProfileStatus)), Description("Default: active.")] string? Status,
    [Description("Days of past demand the ADU averages; default 90.")] int? AduHorizonDays = null,
    [Description("Days of forecast the forward ADU averages; default 90.")] int? AduForwardHorizonDays = null,
    [Description("Smoothing factor of the exponential ADU (0 to 1, at most 4 decimals); default 0.3.")] decimal? AduAlpha = null,
    [Description("Weight of past demand in the blended ADU (at most 4 decimals); default 0.5.")] decimal? AduPastWeight = null,
    [Description("Weight of forecast in the blended ADU (at most 4 decimals); default 0.5.")] decimal? AduForwardWeight = null,
    [Range(0d, 10_000d), Description("A day's demand above this percent of the red zone is a spike (at most 2 decimals); default 50.")] decimal? SpikeThresholdPercent = null,
    [Range(0, MaxSpikeHorizonDays), Description("Days ahead in which spikes count; null for the decoupled lead time.")] int? SpikeHorizonDays = null);
