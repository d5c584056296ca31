using System.Linq.Expressions;

using Giia.Catalog.Common;
using Giia.Catalog.Data;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

using static Giia.Catalog.BufferProfiles.BufferProfileLimits;

namespace Giia.Catalog.BufferProfiles;

/// <summary>
/// Creating, changing and deleting buffer profiles: the name is unique in the organization, the ADU parameters are
/// valid for the method (by the calculation core's rules); a profile products use stays.
/// </summary>
public sealed class BufferProfileCommands(CatalogDbContext db, EventOutbox outbox, TimeProvider time)
    : CatalogCommands<BufferProfile, BufferProfileRequest, BufferProfileCreated, BufferProfileUpdated, BufferProfileDeleted>(db, outbox, time)
{
    protected override string Kind => "Buffer profile";

    protected override DbSet<BufferProfile> Rows => Db.BufferProfiles;

    protected override string SubjectOf(BufferProfile row) => $"buffer-profiles/{row.Id}";

    protected override Task<FieldErrors> ValidateAsync(Guid organizationId, BufferProfileRequest request, CancellationToken ct) =>
        Task.FromResult(Validate(request));

    protected override string KeyOf(BufferProfileRequest request) =>
        request.Name!.Trim();

    protected override Expression<Func<BufferProfile, bool>> HasKey(string key) => b => b.Name == key;

    protected override CatalogRefusal KeyTaken(string key) =>
        CatalogRefusal.Conflict("Buffer profile name taken", $"A buffer profile named '{key}' already exists in your organization.");

    protected override BufferProfile NewRow(Guid organizationId, string key, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(), OrganizationId = organizationId, Name = key, CreatedAt = now };

    protected override BufferProfileCreated Created(BufferProfile row, DateTimeOffset at) => BufferProfileEvents.Created(row, at);

    protected override BufferProfileUpdated Updated(BufferProfile row, DateTimeOffset at) => BufferProfileEvents.Updated(row, at);

    protected override BufferProfileDeleted Deleted(BufferProfile row, DateTimeOffset at) => BufferProfileEvents.Deleted(row, at);

    // The foreign key catches a product that took the profile between the count and the delete.
    protected override Task<int> UsesAsync(Guid id, CancellationToken ct) => Db.Products.CountAsync(p => p.BufferProfileId == id, ct);

    protected override CatalogRefusal? InUse(int uses) => CatalogRefusal.Conflict("Buffer profile in use",
        $"{uses} product(s) use this buffer profile; assign them another profile (or none) before deleting it.");

    private static FieldErrors Validate(BufferProfileRequest request)
    {
        var errors = new FieldErrors()
            .Text("name", request.Name, 100)
            .OptionalText("description", request.Description, 2000, multiline: true)
            .Text("aduMethod", request.AduMethod, 20).OneOf("aduMethod", request.AduMethod, CatalogNames.Names<AduMethod>())
            .Required("leadTimeFactor", request.LeadTimeFactor).Positive("leadTimeFactor", request.LeadTimeFactor, MaxFactor)
            .FitsColumn("leadTimeFactor", request.LeadTimeFactor, FactorPrecision, FactorScale)
            .Required("variabilityFactor", request.VariabilityFactor).Positive("variabilityFactor", request.VariabilityFactor, MaxFactor)
            .FitsColumn("variabilityFactor", request.VariabilityFactor, FactorPrecision, FactorScale)
            .OneOf("status", request.Status, CatalogNames.Names<BufferProfileStatus>())
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
        var method = CatalogNames.ParseEnum<AduMethod>(request.AduMethod)!.Value;
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

    protected override void Apply(BufferProfile row, string key, BufferProfileRequest request, DateTimeOffset now)
    {
        row.Name = key;
        row.Description = request.Description;
        row.AduMethod = CatalogNames.ParseEnum<AduMethod>(request.AduMethod)!.Value;
        row.LeadTimeFactor = request.LeadTimeFactor!.Value;
        row.VariabilityFactor = request.VariabilityFactor!.Value;
        var adu = AduParametersOf(row.AduMethod, request);
        row.AduHorizonDays = adu.HorizonDays;
        row.AduForwardHorizonDays = adu.ForwardHorizonDays;
        row.AduAlpha = adu.Alpha;
        row.AduPastWeight = adu.PastWeight;
        row.AduForwardWeight = adu.ForwardWeight;
        row.SpikeThresholdPercent = request.SpikeThresholdPercent ?? 50m;
        row.SpikeHorizonDays = request.SpikeHorizonDays;
        row.Status = CatalogNames.ParseEnum<BufferProfileStatus>(request.Status) ?? BufferProfileStatus.Active;
        row.UpdatedAt = now;
    }
}
