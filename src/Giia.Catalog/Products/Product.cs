using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Giia.Catalog.Products;

/// <summary>An item an organization plans replenishment for; its SKU is unique within the organization.</summary>
public sealed class Product
{
    public Guid Id { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Sku { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public string? Category { get; set; }

    public required string UnitOfMeasure { get; set; }

    public decimal StandardCost { get; set; }

    public ProductStatus Status { get; set; } = ProductStatus.Active;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum ProductStatus
{
    Active,
    Inactive,
    Discontinued,
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasColumnName("id");
        builder.Property(p => p.OrganizationId).HasColumnName("organization_id");
        builder.Property(p => p.Sku).HasColumnName("sku").HasMaxLength(64);
        builder.Property(p => p.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(p => p.Description).HasColumnName("description").HasMaxLength(2000);
        builder.Property(p => p.Category).HasColumnName("category").HasMaxLength(100);
        builder.Property(p => p.UnitOfMeasure).HasColumnName("unit_of_measure").HasMaxLength(20);
        builder.Property(p => p.StandardCost).HasColumnName("standard_cost").HasPrecision(18, 4);
        builder.Property(p => p.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(p => new { p.OrganizationId, p.Sku }).IsUnique();
    }
}
