using System.Linq.Expressions;

using Giia.Catalog.Common;
using Giia.Catalog.Data;
using Giia.Events.Contracts;
using Giia.Events.Outbox;
using Giia.HttpApi;

using Microsoft.EntityFrameworkCore;

namespace Giia.Catalog.Suppliers;

/// <summary>Creating, changing and deleting suppliers: the code is unique in the organization; a supplier products are linked to stays.</summary>
public sealed class SupplierCommands(CatalogDbContext db, EventOutbox outbox, TimeProvider time)
    : CatalogCommands<Supplier, SupplierRequest, SupplierCreated, SupplierUpdated, SupplierDeleted>(db, outbox, time)
{
    protected override string Kind => "Supplier";

    protected override DbSet<Supplier> Rows => Db.Suppliers;

    protected override string SubjectOf(Supplier row) => $"suppliers/{row.Id}";

    protected override Task<FieldErrors> ValidateAsync(Guid organizationId, SupplierRequest request, CancellationToken ct) =>
        Task.FromResult(new FieldErrors()
            .Text("code", request.Code, 64)
            .Text("name", request.Name, 200)
            .OptionalText("contactName", request.ContactName, 200)
            .OptionalEmail("contactEmail", request.ContactEmail)
            .OptionalText("contactPhone", request.ContactPhone, 50)
            .Required("defaultLeadTimeDays", request.DefaultLeadTimeDays)
            .Range("defaultLeadTimeDays", request.DefaultLeadTimeDays, 0, SupplierLimits.MaxLeadTimeDays)
            .OneOf("status", request.Status, CatalogNames.Names<SupplierStatus>()));

    protected override string KeyOf(SupplierRequest request) =>
        request.Code!.Trim();

    protected override Expression<Func<Supplier, bool>> HasKey(string key) => s => s.Code == key;

    protected override CatalogRefusal KeyTaken(string key) =>
        CatalogRefusal.Conflict("Supplier code taken", $"A supplier with code '{key}' already exists in your organization.");

    protected override Supplier NewRow(Guid organizationId, string key, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(), OrganizationId = organizationId, Code = key, Name = "", CreatedAt = now };

    protected override void Apply(Supplier row, string key, SupplierRequest request, DateTimeOffset now)
    {
        row.Code = key;
        row.Name = request.Name!.Trim();
        row.ContactName = request.ContactName;
        row.ContactEmail = string.IsNullOrWhiteSpace(request.ContactEmail) ? null : request.ContactEmail.Trim();
        row.ContactPhone = request.ContactPhone;
        row.DefaultLeadTimeDays = request.DefaultLeadTimeDays!.Value;
        row.Status = CatalogNames.ParseEnum<SupplierStatus>(request.Status) ?? SupplierStatus.Active;
        row.UpdatedAt = now;
    }

    protected override SupplierCreated Created(Supplier row, DateTimeOffset at) => SupplierEvents.Created(row, at);

    protected override SupplierUpdated Updated(Supplier row, DateTimeOffset at) => SupplierEvents.Updated(row, at);

    protected override SupplierDeleted Deleted(Supplier row, DateTimeOffset at) => SupplierEvents.Deleted(row, at);

    protected override Task<int> UsesAsync(Guid id, CancellationToken ct) => Db.ProductSuppliers.CountAsync(l => l.SupplierId == id, ct);

    protected override CatalogRefusal? InUse(int uses) => CatalogRefusal.Conflict("Supplier in use",
        $"{uses} product(s) are linked to this supplier; remove the links before deleting it.");
}
