using Giia.Events.Outbox;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.Auth.Data.Migrations
{
    /// <inheritdoc />
    public partial class OrderedOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages");

            migrationBuilder.AddColumn<string>(
                name: "aggregate",
                table: "outbox_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "aggregate_version",
                table: "outbox_messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_processed_events_processed_at",
                table: "processed_events",
                column: "processed_at")
                .Annotation("Npgsql:CreatedConcurrently", true);

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

            migrationBuilder.AddOutboxAggregateVersions();
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropOutboxAggregateVersions();

            migrationBuilder.DropIndex(
                name: "ix_processed_events_processed_at",
                table: "processed_events");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unsent_aggregate",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_unsent_order",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "aggregate",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "aggregate_version",
                table: "outbox_messages");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages",
                columns: new[] { "next_attempt_at", "created_at" },
                filter: "sent_at IS NULL");
        }
    }
}
