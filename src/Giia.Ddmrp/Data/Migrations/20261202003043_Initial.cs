using System;

using Giia.Events.Outbox;

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.Ddmrp.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "buffer_calculations",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    calculated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    planning_day = table.Column<DateOnly>(type: "date", nullable: false),
                    adu = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    dlt_days = table.Column<int>(type: "integer", nullable: false),
                    red = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    yellow = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    green = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    top_of_red = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    top_of_yellow = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    top_of_green = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    on_hand = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    open_supply = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    qualified_demand = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    net_flow_position = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    net_flow_percent = table.Column<decimal>(type: "numeric(28,4)", precision: 28, scale: 4, nullable: false),
                    planning_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    execution_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    recommended_order = table.Column<decimal>(type: "numeric(28,8)", precision: 28, scale: 8, nullable: false),
                    inputs = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_buffer_calculations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "daily_quantities",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    quantity = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_daily_quantities", x => new { x.organization_id, x.product_id, x.kind, x.day });
                    table.CheckConstraint("ck_daily_quantities_quantity", "quantity >= 0");
                });

            migrationBuilder.CreateTable(
                name: "on_hand_positions",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quantity = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_on_hand_positions", x => new { x.organization_id, x.product_id });
                });

            migrationBuilder.CreateTable(
                name: "open_lines",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    due_date = table.Column<DateOnly>(type: "date", nullable: false),
                    quantity = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_open_lines", x => new { x.organization_id, x.kind, x.reference });
                    table.CheckConstraint("ck_open_lines_quantity", "quantity >= 0");
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    nats_subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    event_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    trace_state = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    aggregate = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    aggregate_version = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "processed_events",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    event_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processed_events", x => new { x.consumer, x.event_id });
                });

            migrationBuilder.CreateTable(
                name: "buffers",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "uuid", nullable: false),
                    product_id = table.Column<Guid>(type: "uuid", nullable: false),
                    latest_calculation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    calculated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    planning_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    net_flow_percent = table.Column<decimal>(type: "numeric(28,4)", precision: 28, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_buffers", x => new { x.organization_id, x.product_id });
                    table.ForeignKey(
                        name: "FK_buffers_buffer_calculations_latest_calculation_id",
                        column: x => x.latest_calculation_id,
                        principalTable: "buffer_calculations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_buffer_calculations_organization_id_product_id_calculated_at",
                table: "buffer_calculations",
                columns: new[] { "organization_id", "product_id", "calculated_at" });

            migrationBuilder.CreateIndex(
                name: "IX_buffers_latest_calculation_id",
                table: "buffers",
                column: "latest_calculation_id");

            migrationBuilder.CreateIndex(
                name: "IX_buffers_organization_id_net_flow_percent",
                table: "buffers",
                columns: new[] { "organization_id", "net_flow_percent" });

            migrationBuilder.CreateIndex(
                name: "IX_buffers_organization_id_planning_status_net_flow_percent",
                table: "buffers",
                columns: new[] { "organization_id", "planning_status", "net_flow_percent" });

            migrationBuilder.CreateIndex(
                name: "IX_open_lines_organization_id_product_id_kind",
                table: "open_lines",
                columns: new[] { "organization_id", "product_id", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_sent",
                table: "outbox_messages",
                column: "sent_at",
                filter: "sent_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent_aggregate",
                table: "outbox_messages",
                columns: new[] { "aggregate", "aggregate_version" },
                filter: "sent_at IS NULL AND aggregate IS NOT NULL")
                .Annotation("Npgsql:CreatedConcurrently", true);

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent_order",
                table: "outbox_messages",
                columns: new[] { "created_at", "id" },
                filter: "sent_at IS NULL")
                .Annotation("Npgsql:CreatedConcurrently", true);

            migrationBuilder.CreateIndex(
                name: "ix_processed_events_processed_at",
                table: "processed_events",
                column: "processed_at")
                .Annotation("Npgsql:CreatedConcurrently", true);

            // buffer.calculated is ordered per product: the outbox numbers each product's events as they commit.
            migrationBuilder.AddOutboxAggregateVersions();
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropOutboxAggregateVersions();

            migrationBuilder.DropTable(
                name: "buffers");

            migrationBuilder.DropTable(
                name: "daily_quantities");

            migrationBuilder.DropTable(
                name: "on_hand_positions");

            migrationBuilder.DropTable(
                name: "open_lines");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "processed_events");

            migrationBuilder.DropTable(
                name: "buffer_calculations");
        }
    }
}
