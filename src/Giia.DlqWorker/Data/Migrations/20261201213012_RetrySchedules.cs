using System;
using Giia.Events.Outbox;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.DlqWorker.Data.Migrations
{
    /// <inheritdoc />
    public partial class RetrySchedules : Migration
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

            migrationBuilder.AddColumn<TimeSpan[]>(
                name: "retry_schedule",
                table: "dead_letters",
                type: "interval[]",
                nullable: false,
                defaultValue: new TimeSpan[0]);

            // Records retrying when this migration runs continue on the worker's default schedule.
            migrationBuilder.Sql("UPDATE dead_letters SET retry_schedule = '{00:01:00,00:05:00,00:15:00,00:20:00,00:20:00}' WHERE status = 'Retrying'");

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

            migrationBuilder.CreateIndex(
                name: "IX_dead_letters_status_updated_at",
                table: "dead_letters",
                columns: new[] { "status", "updated_at" })
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

            migrationBuilder.DropIndex(
                name: "IX_dead_letters_status_updated_at",
                table: "dead_letters");

            migrationBuilder.DropColumn(
                name: "aggregate",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "aggregate_version",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "retry_schedule",
                table: "dead_letters");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_unsent",
                table: "outbox_messages",
                columns: new[] { "next_attempt_at", "created_at" },
                filter: "sent_at IS NULL");
        }
    }
}
