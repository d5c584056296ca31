using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.Catalog.Data.Migrations
{
    /// <inheritdoc />
    public partial class DdmrpParameters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "demand_adjustments",
                table: "products",
                type: "jsonb",
                nullable: true);

            // Products saved before adjustments existed have none.
            migrationBuilder.Sql("UPDATE products SET demand_adjustments = '[]'::jsonb WHERE demand_adjustments IS NULL;");

            migrationBuilder.AddColumn<int>(
                name: "lead_time_override_days",
                table: "products",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "order_cycle_days",
                table: "products",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "unit_precision",
                table: "products",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<decimal>(
                name: "order_multiple",
                table: "product_suppliers",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<decimal>(
                name: "adu_alpha",
                table: "buffer_profiles",
                type: "numeric(5,4)",
                precision: 5,
                scale: 4,
                nullable: false,
                defaultValue: 0.3m);

            migrationBuilder.AddColumn<int>(
                name: "adu_forward_horizon_days",
                table: "buffer_profiles",
                type: "integer",
                nullable: false,
                defaultValue: 90);

            migrationBuilder.AddColumn<decimal>(
                name: "adu_forward_weight",
                table: "buffer_profiles",
                type: "numeric(5,4)",
                precision: 5,
                scale: 4,
                nullable: false,
                defaultValue: 0.5m);

            migrationBuilder.AddColumn<int>(
                name: "adu_horizon_days",
                table: "buffer_profiles",
                type: "integer",
                nullable: false,
                defaultValue: 90);

            migrationBuilder.AddColumn<decimal>(
                name: "adu_past_weight",
                table: "buffer_profiles",
                type: "numeric(5,4)",
                precision: 5,
                scale: 4,
                nullable: false,
                defaultValue: 0.5m);

            migrationBuilder.AddColumn<int>(
                name: "spike_horizon_days",
                table: "buffer_profiles",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "spike_threshold_percent",
                table: "buffer_profiles",
                type: "numeric(7,2)",
                precision: 7,
                scale: 2,
                nullable: false,
                defaultValue: 50m);

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_lead_time_override",
                table: "products",
                sql: "lead_time_override_days IS NULL OR lead_time_override_days BETWEEN 0 AND 3650");

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_order_cycle",
                table: "products",
                sql: "order_cycle_days BETWEEN 0 AND 3650");

            migrationBuilder.AddCheckConstraint(
                name: "ck_products_unit_precision",
                table: "products",
                sql: "unit_precision BETWEEN 0 AND 6");

            migrationBuilder.AddCheckConstraint(
                name: "ck_product_suppliers_order_multiple",
                table: "product_suppliers",
                sql: "order_multiple >= 0");

            migrationBuilder.AddCheckConstraint(
                name: "ck_buffer_profiles_adu_alpha",
                table: "buffer_profiles",
                sql: "adu_alpha > 0 AND adu_alpha <= 1");

            migrationBuilder.AddCheckConstraint(
                name: "ck_buffer_profiles_adu_horizons",
                table: "buffer_profiles",
                sql: "adu_horizon_days BETWEEN 1 AND 730 AND adu_forward_horizon_days BETWEEN 1 AND 730");

            migrationBuilder.AddCheckConstraint(
                name: "ck_buffer_profiles_adu_weights",
                table: "buffer_profiles",
                sql: "adu_past_weight BETWEEN 0 AND 1 AND adu_forward_weight BETWEEN 0 AND 1");

            migrationBuilder.AddCheckConstraint(
                name: "ck_buffer_profiles_spike",
                table: "buffer_profiles",
                sql: "spike_threshold_percent >= 0 AND (spike_horizon_days IS NULL OR spike_horizon_days >= 0)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_products_lead_time_override",
                table: "products");

            migrationBuilder.DropCheckConstraint(
                name: "ck_products_order_cycle",
                table: "products");

            migrationBuilder.DropCheckConstraint(
                name: "ck_products_unit_precision",
                table: "products");

            migrationBuilder.DropCheckConstraint(
                name: "ck_product_suppliers_order_multiple",
                table: "product_suppliers");

            migrationBuilder.DropCheckConstraint(
                name: "ck_buffer_profiles_adu_alpha",
                table: "buffer_profiles");

            migrationBuilder.DropCheckConstraint(
                name: "ck_buffer_profiles_adu_horizons",
                table: "buffer_profiles");

            migrationBuilder.DropCheckConstraint(
                name: "ck_buffer_profiles_adu_weights",
                table: "buffer_profiles");

            migrationBuilder.DropCheckConstraint(
                name: "ck_buffer_profiles_spike",
                table: "buffer_profiles");

            migrationBuilder.DropColumn(
                name: "demand_adjustments",
                table: "products");

            migrationBuilder.DropColumn(
                name: "lead_time_override_days",
                table: "products");

            migrationBuilder.DropColumn(
                name: "order_cycle_days",
                table: "products");

            migrationBuilder.DropColumn(
                name: "unit_precision",
                table: "products");

            migrationBuilder.DropColumn(
                name: "order_multiple",
                table: "product_suppliers");

            migrationBuilder.DropColumn(
                name: "adu_alpha",
                table: "buffer_profiles");

            migrationBuilder.DropColumn(
                name: "adu_forward_horizon_days",
                table: "buffer_profiles");

            migrationBuilder.DropColumn(
                name: "adu_forward_weight",
                table: "buffer_profiles");

            migrationBuilder.DropColumn(
                name: "adu_horizon_days",
                table: "buffer_profiles");

            migrationBuilder.DropColumn(
                name: "adu_past_weight",
                table: "buffer_profiles");

            migrationBuilder.DropColumn(
                name: "spike_horizon_days",
                table: "buffer_profiles");

            migrationBuilder.DropColumn(
                name: "spike_threshold_percent",
                table: "buffer_profiles");
        }
    }
}
