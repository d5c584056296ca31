using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Giia.Auth.Data.Migrations
{
    /// <summary>
    /// The audit trail is append-only in the database, not by convention: no role but the table's owner holds UPDATE,
    /// DELETE or TRUNCATE on it, and a trigger refuses those for everyone, the owner and a superuser included (only the
    /// owner or a superuser can lift it: dropping or disabling the trigger, or session_replication_role = replica).
    /// </summary>
    public partial class AuditAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_logs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION 'audit_logs is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
                END $$;

                CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs
                  FOR EACH ROW EXECUTE FUNCTION audit_logs_refuse_change();
                CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs
                  FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_refuse_change();

                DO $$ DECLARE grantee text; BEGIN
                  FOR grantee IN SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END
                      FROM pg_class c, aclexplode(c.relacl) a
                      WHERE c.oid = 'audit_logs'::regclass AND a.grantee <> c.relowner
                        AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') LOOP
                    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_logs FROM %s', grantee);
                  END LOOP;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER audit_logs_no_truncate ON audit_logs;
                DROP TRIGGER audit_logs_append_only ON audit_logs;
                DROP FUNCTION audit_logs_refuse_change();
                """);
        }
    }
}
