using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;

using Giia.Auth.Client;
using Giia.Catalog.Api;
using Giia.Catalog.Data;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.ServiceDefaults;
using Giia.ServiceDefaults.OpenApi;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.BufferProfiles;

public static class BufferProfileEndpoints
{
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

    public sealed record BufferProfileView(Guid Id, string Name, string? Description, string AduMethod, decimal LeadTimeFactor,
        decimal VariabilityFactor, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string ETag,
        int AduHorizonDays, int AduForwardHorizonDays, decimal AduAlpha, decimal AduPastWeight, decimal AduForwardWeight,
        decimal SpikeThresholdPercent, int? SpikeHorizonDays);

    public const decimal MaxSpikeThresholdPercent = 10_000m;
    public const int MaxSpikeHorizonDays = 3650;

    public const decimal MaxFactor = 100m;

    /// <summary>The factors' column, <c>numeric(9, 4)</c>.</summary>
    public const int FactorPrecision = 9;
    public const int FactorScale = 4;

    public static IEndpointRouteBuilder MapBufferProfileEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/buffer-profiles").WithTags("Buffer profiles").WithRequestBodyLimit(RequestBodyLimits.SmallJson);
        api.MapGet("/", ListAsync).WithName("ListBufferProfiles").RequirePermission(Permissions.BuffersRead)
            .WithSummary("List buffer profiles")
            .WithDescription("One page of the organization's buffer profiles ordered by name, optionally only those of one status. Needs `buffers:read`.");
        api.MapGet("/{id}", GetAsync).WithName("GetBufferProfile").RequirePermission(Permissions.BuffersRead).ProducesETag()
            .WithSummary("Get a buffer profile")
            .WithDescription("One buffer profile of the organization, with its ETag for a later change. Needs `buffers:read`.");
        api.MapPost("/", CreateAsync).WithName("CreateBufferProfile").RequirePermission(Permissions.BuffersWrite).ProducesETag()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Create a buffer profile")
            .WithDescription("Creates a buffer profile; the name must be unique in the organization (409 otherwise) and the ADU parameters valid for the method. Publishes `buffer_profile.created`. Needs `buffers:write`.");
        api.MapPut("/{id}", UpdateAsync).WithName("UpdateBufferProfile").RequirePermission(Permissions.BuffersWrite).RequiresIfMatch()
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Update a buffer profile")
            .WithDescription("Replaces a buffer profile's fields, based on the version named in If-Match. Publishes `buffer_profile.updated`. Needs `buffers:write`.");
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteBufferProfile").RequirePermission(Permissions.BuffersDelete)
            .ProducesProblems(StatusCodes.Status409Conflict)
            .WithSummary("Delete a buffer profile")
            .WithDescription("Deletes a buffer profile no product uses (409 while products use it). Publishes `buffer_profile.deleted`. Needs `buffers:delete`.");
        return endpoints;
    }

    public static IQueryable<BufferProfile> Of(CatalogDbContext db, Guid organizationId) =>
        db.BufferProfiles.AsNoTracking().Where(b => b.OrganizationId == organizationId);

    public static BufferProfileView View(BufferProfile b) => new(b.Id, b.Name, b.Description, CatalogApi.Lower(b.AduMethod), b.LeadTimeFactor,
        b.VariabilityFactor, CatalogApi.Lower(b.Status), b.CreatedAt, b.UpdatedAt, CatalogApi.ETagOf(b.Version), b.AduHorizonDays,
        b.AduForwardHorizonDays, b.AduAlpha, b.AduPastWeight, b.AduForwardWeight, b.SpikeThresholdPercent, b.SpikeHorizonDays);

    private static async Task<Results<Ok<Page<BufferProfileView>>, ValidationProblem>> ListAsync(ClaimsPrincipal user, CatalogDbContext db,
        [AllowedNames(typeof(BufferProfileStatus))] string? status, [PageNumber] int? page, [PageSize] int? pageSize, CancellationToken ct)
    {
        var request = new PageRequest(page, pageSize);
        if (CatalogApi.Invalid(request, new FieldErrors().OneOf("status", status, CatalogApi.Names<BufferProfileStatus>())) is { } invalid)
        {
            return invalid;
        }

        var query = Of(db, CatalogApi.OrganizationOf(user));
        if (CatalogApi.ParseEnum<BufferProfileStatus>(status) is { } wanted)
        {
            query = query.Where(b => b.Status == wanted);
        }

        return TypedResults.Ok(await CatalogApi.PageAsync(query.OrderBy(b => b.Name).ThenBy(b => b.Id), request, View, ct));
    }

    private static Task<Results<Ok<BufferProfileView>, ValidationProblem, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user,
        CatalogDbContext db, HttpContext http, CancellationToken ct) =>
        CatalogApi.GetOneAsync(Of(db, CatalogApi.OrganizationOf(user)), id, "Buffer profile", View, http, ct);

    private static async Task<Results<Created<BufferProfileView>, ValidationProblem, ProblemHttpResult>> CreateAsync(BufferProfileRequest request,
        ClaimsPrincipal user, CatalogDbContext db, EventOutbox outbox, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (Validate(request) is { Any: true } errors)
        {
            return errors.Problem();
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        var name = request.Name!.Trim();
        if (await db.BufferProfiles.AnyAsync(b => b.OrganizationId == organizationId && b.Name == name, ct))
        {
            return NameTaken(name);
        }

        var now = time.GetUtcNow();
        var profile = new BufferProfile
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            Name = name,
            CreatedAt = now,
        };
        Apply(profile, request, now);
        db.BufferProfiles.Add(profile);
        outbox.Enqueue(db, BufferProfileEvents.Created(profile, now), organizationId, $"buffer-profiles/{profile.Id}");
        if (await CatalogApi.SaveAsync(db, ct, onDuplicate: NameTaken(name)) is { } refused)
        {
            return refused;
        }

        CatalogApi.SetETag(http, profile.Version);
        return TypedResults.Created($"/api/buffer-profiles/{profile.Id}", View(profile));
    }

    private static async Task<Results<Ok<BufferProfileView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(string id, BufferProfileRequest request,
        ClaimsPrincipal user, CatalogDbContext db, EventOutbox outbox, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var profileId, out var invalid))
        {
            return invalid!;
        }

        if (Validate(request) is { Any: true } errors)
        {
            return errors.Problem();
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        var profile = await CatalogApi.FindAsync(db.BufferProfiles, organizationId, profileId, ct);
        if (profile is null)
        {
            return CatalogApi.NotFound("Buffer profile", profileId);
        }

        if (CatalogApi.CheckIfMatch(http.Request, profile.Version) is { } precondition)
        {
            return precondition;
        }

        var name = request.Name!.Trim();
        if (await db.BufferProfiles.AnyAsync(b => b.OrganizationId == organizationId && b.Name == name && b.Id != profileId, ct))
        {
            return NameTaken(name);
        }

        var now = time.GetUtcNow();
        profile.Name = name;
        Apply(profile, request, now);
        outbox.Enqueue(db, BufferProfileEvents.Updated(profile, now), organizationId, $"buffer-profiles/{profile.Id}");
        if (await CatalogApi.SaveAsync(db, ct, onDuplicate: NameTaken(name)) is { } refused)
        {
            return refused;
        }

        CatalogApi.SetETag(http, profile.Version);
        return TypedResults.Ok(View(profile));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user,
        CatalogDbContext db, EventOutbox outbox, TimeProvider time, CancellationToken ct)
    {
        if (!CatalogApi.TryParseId(id, "id", out var profileId, out var invalid))
        {
            return invalid!;
        }

        var organizationId = CatalogApi.OrganizationOf(user);
        var profile = await CatalogApi.FindAsync(db.BufferProfiles, organizationId, profileId, ct);
        if (profile is null)
        {
            return CatalogApi.NotFound("Buffer profile", profileId);
        }

        var users = await db.Products.CountAsync(p => p.BufferProfileId == profileId, ct);
        if (users > 0)
        {
            return InUse(users);
        }

        db.BufferProfiles.Remove(profile);
        outbox.Enqueue(db, new BufferProfileDeleted(profile.Id, organizationId, profile.Name, time.GetUtcNow()), organizationId, $"buffer-profiles/{profile.Id}");
        // The foreign key catches a product that took the profile between the count and the delete.
        if (await CatalogApi.SaveAsync(db, ct, onMissingReference: InUse(1)) is { } refused)
        {
            return refused;
        }

        return TypedResults.NoContent();
    }

    private static FieldErrors Validate(BufferProfileRequest request)
    {
        var errors = new FieldErrors()
            .Text("name", request.Name, 100)
            .OptionalText("description", request.Description, 2000, multiline: true)
            .Text("aduMethod", request.AduMethod, 20).OneOf("aduMethod", request.AduMethod, CatalogApi.Names<AduMethod>())
            .Required("leadTimeFactor", request.LeadTimeFactor).Positive("leadTimeFactor", request.LeadTimeFactor, MaxFactor)
            .FitsColumn("leadTimeFactor", request.LeadTimeFactor, FactorPrecision, FactorScale)
            .Required("variabilityFactor", request.VariabilityFactor).Positive("variabilityFactor", request.VariabilityFactor, MaxFactor)
            .FitsColumn("variabilityFactor", request.VariabilityFactor, FactorPrecision, FactorScale)
            .OneOf("status", request.Status, CatalogApi.Names<BufferProfileStatus>())
            .Range("spikeThresholdPercent", request.SpikeThresholdPercent, 0, MaxSpikeThresholdPercent)
            .Range("spikeHorizonDays", request.SpikeHorizonDays, 0, MaxSpikeHorizonDays)
            // More decimals than the column keeps would be rounded away silently.
            .FitsColumn("aduAlpha", request.AduAlpha, 5, 4)
            .FitsColumn("aduPastWeight", request.AduPastWeight, 5, 4)
            .FitsColumn("aduForwardWeight", request.AduForwardWeight, 5, 4)
            .FitsColumn("spikeThresholdPercent", request.SpikeThresholdPercent, 7, 2);
        if (errors.Any)
        {
            return errors;
        }

        // The ADU rules are the calculation core's, so Catalog never stores a profile the engine would refuse.
        var method = CatalogApi.ParseEnum<AduMethod>(request.AduMethod)!.Value;
        foreach (var error in AduParametersOf(method, request).Validate())
        {
            errors.Add(error.Field, error.Message);
        }

        return errors;
    }

    private static Ddmrp.Engine.Adu.AduParameters AduParametersOf(AduMethod method, BufferProfileRequest request)
    {
        var defaults = new Ddmrp.Engine.Adu.AduParameters();
        return new Ddmrp.Engine.Adu.AduParameters
        {
            Method = Enum.Parse<Ddmrp.Engine.Adu.AduMethod>(method.ToString()),
            HorizonDays = request.AduHorizonDays ?? defaults.HorizonDays,
            ForwardHorizonDays = request.AduForwardHorizonDays ?? defaults.ForwardHorizonDays,
            Alpha = request.AduAlpha ?? defaults.Alpha,
            PastWeight = request.AduPastWeight ?? defaults.PastWeight,
            ForwardWeight = request.AduForwardWeight ?? defaults.ForwardWeight,
        };
    }

    private static void Apply(BufferProfile profile, BufferProfileRequest request, DateTimeOffset now)
    {
        profile.Description = request.Description;
        profile.AduMethod = CatalogApi.ParseEnum<AduMethod>(request.AduMethod)!.Value;
        profile.LeadTimeFactor = request.LeadTimeFactor!.Value;
        profile.VariabilityFactor = request.VariabilityFactor!.Value;
        var adu = AduParametersOf(profile.AduMethod, request);
        profile.AduHorizonDays = adu.HorizonDays;
        profile.AduForwardHorizonDays = adu.ForwardHorizonDays;
        profile.AduAlpha = adu.Alpha;
        profile.AduPastWeight = adu.PastWeight;
        profile.AduForwardWeight = adu.ForwardWeight;
        profile.SpikeThresholdPercent = request.SpikeThresholdPercent ?? 50m;
        profile.SpikeHorizonDays = request.SpikeHorizonDays;
        profile.Status = CatalogApi.ParseEnum<BufferProfileStatus>(request.Status) ?? BufferProfileStatus.Active;
        profile.UpdatedAt = now;
    }

    private static ProblemHttpResult NameTaken(string name) =>
        CatalogApi.Conflict("Buffer profile name taken", $"A buffer profile named '{name}' already exists in your organization.");

    private static ProblemHttpResult InUse(int products) => CatalogApi.Conflict("Buffer profile in use",
        $"{products} product(s) use this buffer profile; assign them another profile (or none) before deleting it.");
}
