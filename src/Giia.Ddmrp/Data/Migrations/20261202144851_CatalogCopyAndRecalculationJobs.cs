using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.Ddmrp.Data.Migrations
{
    /// <inheritdoc />
    public partial class CatalogCopyAndRecalculationJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "catalog_buffer_profiles",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    buffer_profile_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    adu_method = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    lead_time_factor = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    variability_factor = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    adu_horizon_days = table.Column<int>(type: "integer", nullable: false),
                    adu_forward_horizon_days = table.Column<int>(type: "integer", nullable: false),
                    adu_alpha = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    adu_past_weight = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    adu_forward_weight = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    spike_threshold_percent = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: false),
                    spike_horizon_days = table.Column<int>(type: "integer", nullable: true),
                    parameters_known = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_buffer_profiles", x => new { x.organization_id, x.buffer_profile_id });
                });

            migrationBuilder.CreateTable(
                name: "catalog_products",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    buffer_profile_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lead_time_override_days = table.Column<int>(type: "integer", nullable: true),
                    order_cycle_days = table.Column<int>(type: "integer", nullable: false),
                    unit_precision = table.Column<int>(type: "integer", nullable: false),
                    demand_adjustments = table.Column<string>(type: "jsonb", nullable: false),
                    terms_known = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_products", x => new { x.organization_id, x.product_id });
                });

            migrationBuilder.CreateTable(
                name: "catalog_supplier_links",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    supplier_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lead_time_days = table.Column<int>(type: "integer", nullable: false),
                    minimum_order_quantity = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    order_multiple = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    is_primary = table.Column<bool>(type: "boolean", nullable: false),
                    removed = table.Column<bool>(type: "boolean", nullable: false),
                    version = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_supplier_links", x => new { x.organization_id, x.product_id, x.supplier_id });
                });

            migrationBuilder.CreateTable(
                name: "catalog_suppliers",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    supplier_id = table.Column<Guid>(type: "uuid", nullable: false),
                    default_lead_time_days = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_catalog_suppliers", x => new { x.organization_id, x.supplier_id });
                });

            migrationBuilder.CreateTable(
                name: "recalculation_jobs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    whole_organization = table.Column<bool>(type: "boolean", nullable: false),
                    requested_by = table.Column<Guid>(type: "uuid", nullable: true),
                    nightly_day = table.Column<DateOnly>(type: "date", nullable: true),
                    product_count = table.Column<int>(type: "integer", nullable: false),
                    chunk_count = table.Column<int>(type: "integer", nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recalculation_jobs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "recalculation_chunks",
                columns: table => new
                {
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    chunk = table.Column<int>(type: "integer", nullable: false),
                    calculated = table.Column<int>(type: "integer", nullable: false),
                    skipped = table.Column<int>(type: "integer", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recalculation_chunks", x => new { x.job_id, x.chunk });
                    table.ForeignKey(
                        name: "FK_recalculation_chunks_recalculation_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "recalculation_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recalculation_skips",
                columns: table => new
                {
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recalculation_skips", x => new { x.job_id, x.product_id });
                    table.ForeignKey(
                        name: "FK_recalculation_skips_recalculation_jobs_job_id",
                        column: x => x.job_id,
                        principalTable: "recalculation_jobs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_products_organization_id_buffer_profile_id",
                table: "catalog_products",
                columns: new[] { "organization_id", "buffer_profile_id" });

            migrationBuilder.CreateIndex(
                name: "IX_catalog_supplier_links_organization_id_supplier_id",
                table: "catalog_supplier_links",
                columns: new[] { "organization_id", "supplier_id" });

            migrationBuilder.CreateIndex(
                name: "IX_recalculation_jobs_organization_id_nightly_day",
                table: "recalculation_jobs",
                columns: new[] { "organization_id", "nightly_day" },
                unique: true,
                filter: "nightly_day IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_recalculation_jobs_organization_id_queued_at",
                table: "recalculation_jobs",
                columns: new[] { "organization_id", "queued_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "catalog_buffer_profiles");

            migrationBuilder.DropTable(
                name: "catalog_products");

            migrationBuilder.DropTable(
                name: "catalog_supplier_links");

            migrationBuilder.DropTable(
                name: "catalog_suppliers");

            migrationBuilder.DropTable(
                name: "recalculation_chunks");

            migrationBuilder.DropTable(
                name: "recalculation_skips");

            migrationBuilder.DropTable(
                name: "recalculation_jobs");
        }
    }
}
