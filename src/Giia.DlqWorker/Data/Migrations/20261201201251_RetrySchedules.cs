using System;
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
            migrationBuilder.AddColumn<TimeSpan[]>(
                name: "retry_schedule",
                table: "dead_letters",
                type: "interval[]",
                nullable: false,
                defaultValue: new TimeSpan[0]);

            // Records retrying when this migration runs continue on the worker's default schedule.
            migrationBuilder.Sql("UPDATE dead_letters SET retry_schedule = '{00:01:00,00:05:00,00:15:00,00:20:00,00:20:00}' WHERE status = 'Retrying'");

            migrationBuilder.CreateIndex(
                name: "IX_dead_letters_status_updated_at",
                table: "dead_letters",
                columns: new[] { "status", "updated_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_dead_letters_status_updated_at",
                table: "dead_letters");

            migrationBuilder.DropColumn(
                name: "retry_schedule",
                table: "dead_letters");
        }
    }
}
