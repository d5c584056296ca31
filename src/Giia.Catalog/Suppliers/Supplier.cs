using Giia.Catalog.Api;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.Suppliers;

/// <summary>A company an organization buys from; its code is unique within the organization.</summary>
public sealed class Supplier : ICatalogEntity
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Code { get; set; }

    public required string Name { get; set; }

    public string? ContactName { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    /// <summary>Days from order to receipt unless a product's link says otherwise.</summary>
    public int DefaultLeadTimeDays { get; set; }

    public SupplierStatus Status { get; set; } = SupplierStatus.Active;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public uint Version { get; set; }
}

public enum SupplierStatus
{
    Active,
    Inactive,
}

internal sealed class SupplierConfiguration : IEntityTypeConfiguration<Supplier>
{
    public void Configure(EntityTypeBuilder<Supplier> builder)
    {
        builder.ToTable("suppliers", t => t.HasCheckConstraint("ck_suppliers_lead_time", "default_lead_time_days >= 0"));
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id");
        builder.Property(s => s.OrganizationId).HasColumnName("organization_id");
        builder.Property(s => s.Code).HasColumnName("code").HasMaxLength(64);
        builder.Property(s => s.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(s => s.ContactName).HasColumnName("contact_name").HasMaxLength(200);
        builder.Property(s => s.ContactEmail).HasColumnName("contact_email").HasMaxLength(254);
        builder.Property(s => s.ContactPhone).HasColumnName("contact_phone").HasMaxLength(50);
        builder.Property(s => s.DefaultLeadTimeDays).HasColumnName("default_lead_time_days");
        builder.Property(s => s.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.CreatedAt).HasColumnName("created_at");
        builder.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        builder.Property(s => s.Version).IsRowVersion();
        builder.HasIndex(s => new { s.OrganizationId, s.Code }).IsUnique();
        builder.HasIndex(s => new { s.OrganizationId, s.Status });
    }
}
