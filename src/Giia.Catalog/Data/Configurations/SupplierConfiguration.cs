using Giia.Catalog.Suppliers;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.Data.Configurations;

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
