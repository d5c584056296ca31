using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.DlqWorker.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "parked_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    event_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    original_subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    organization_id = table.Column<Guid>(type: "uuid", nullable: true),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    headers = table.Column<string>(type: "jsonb", nullable: false),
                    attempts = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    first_failed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    parked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_parked_events", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_parked_events_event_id_consumer",
                table: "parked_events",
                columns: new[] { "event_id", "consumer" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_parked_events_event_type",
                table: "parked_events",
                column: "event_type");

            migrationBuilder.CreateIndex(
                name: "IX_parked_events_status_parked_at",
                table: "parked_events",
                columns: new[] { "status", "parked_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "parked_events");
        }
    }
}
