using Microsoft.EntityFrameworkCore.Migrations;

namespace Giia.Events.Outbox;

/// <summary>Database objects of the outbox that EF's model does not describe; call from a service's migration.</summary>
public static class OutboxMigrations
{
    /// <summary>
    /// Per-aggregate versions: a BEFORE INSERT trigger on <c>outbox_messages</c> takes the aggregate's next version from
    /// <c>outbox_aggregate_versions</c> (row-locked until commit, so versions follow the order in which the aggregate's
    /// changes commit), stores it in <c>aggregate_version</c> and writes it into the payload as <c>aggregateversion</c>.
    /// It fires for EF inserts and binary COPY alike; rows without an aggregate pass untouched.
    /// </summary>
    public static void AddOutboxAggregateVersions(this MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""
            CREATE TABLE outbox_aggregate_versions (
                aggregate character varying(200) PRIMARY KEY,
                version bigint NOT NULL
            );

            CREATE FUNCTION outbox_assign_aggregate_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.aggregate IS NOT NULL THEN
                    INSERT INTO outbox_aggregate_versions AS v (aggregate, version) VALUES (NEW.aggregate, 1)
                    ON CONFLICT (aggregate) DO UPDATE SET version = v.version + 1
                    RETURNING v.version INTO NEW.aggregate_version;
                    NEW.payload := jsonb_set(NEW.payload::jsonb, '{aggregateversion}', to_jsonb(NEW.aggregate_version))::text;
                END IF;
                RETURN NEW;
            END
            $$;

            CREATE TRIGGER outbox_assign_aggregate_version BEFORE INSERT ON outbox_messages
                FOR EACH ROW EXECUTE FUNCTION outbox_assign_aggregate_version();
            """);
    }

    public static void DropOutboxAggregateVersions(this MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql("""
            DROP TRIGGER IF EXISTS outbox_assign_aggregate_version ON outbox_messages;
            DROP FUNCTION IF EXISTS outbox_assign_aggregate_version();
            DROP TABLE IF EXISTS outbox_aggregate_versions;
            """);
    }
}
