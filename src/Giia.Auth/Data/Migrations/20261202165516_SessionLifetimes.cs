using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.Auth.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionLifetimes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "session_started_at",
                table: "refresh_tokens",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // Sessions started before this column existed: their first token's creation is their sign-in.
            migrationBuilder.Sql("""
                UPDATE refresh_tokens AS t
                SET session_started_at = f.started
                FROM (SELECT family_id, min(created_at) AS started FROM refresh_tokens GROUP BY family_id) AS f
                WHERE t.family_id = f.family_id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "session_started_at",
                table: "refresh_tokens");
        }
    }
}
