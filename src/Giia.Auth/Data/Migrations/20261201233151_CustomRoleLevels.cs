using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.Auth.Data.Migrations
{
    /// <inheritdoc />
    public partial class CustomRoleLevels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Custom roles made at level 1 before it became the Admin role's alone rank just below it now.
            migrationBuilder.Sql("UPDATE roles SET level = 2, updated_at = now() WHERE organization_id IS NOT NULL AND level < 2;\n" +
                "UPDATE roles SET level = 100, updated_at = now() WHERE organization_id IS NOT NULL AND level > 100;");
            migrationBuilder.AddCheckConstraint(
                name: "ck_roles_custom_level",
                table: "roles",
                sql: "organization_id IS NULL OR level BETWEEN 2 AND 100");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_roles_custom_level",
                table: "roles");
        }
    }
}
