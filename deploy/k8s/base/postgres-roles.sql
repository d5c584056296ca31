-- Rendered from src/Giia.AppHost/Infrastructure/DatabaseRoles.cs (a test compares): edit that, not this.
\set ON_ERROR_STOP on
\connect postgres
\getenv giia_auth_owner_password GIIA_AUTH_OWNER_PASSWORD
\if :{?giia_auth_owner_password}
\else
  \warn 'GIIA_AUTH_OWNER_PASSWORD is not set'
  SELECT 1 / 0 AS missing_password;
\endif
SELECT :'giia_auth_owner_password' = '' AS giia_auth_owner_password_empty \gset
\if :giia_auth_owner_password_empty
  \warn 'GIIA_AUTH_OWNER_PASSWORD is empty'
  SELECT 1 / 0 AS empty_password;
\endif
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'giia_auth_owner') THEN CREATE ROLE "giia_auth_owner"; END IF; END $$;
ALTER ROLE "giia_auth_owner" WITH LOGIN PASSWORD :'giia_auth_owner_password';
\getenv giia_auth_password GIIA_AUTH_PASSWORD
\if :{?giia_auth_password}
\else
  \warn 'GIIA_AUTH_PASSWORD is not set'
  SELECT 1 / 0 AS missing_password;
\endif
SELECT :'giia_auth_password' = '' AS giia_auth_password_empty \gset
\if :giia_auth_password_empty
  \warn 'GIIA_AUTH_PASSWORD is empty'
  SELECT 1 / 0 AS empty_password;
\endif
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'giia_auth') THEN CREATE ROLE "giia_auth"; END IF; END $$;
ALTER ROLE "giia_auth" WITH LOGIN PASSWORD :'giia_auth_password';
GRANT "giia_auth_owner" TO CURRENT_USER;
SELECT 'CREATE DATABASE "authdb" OWNER "giia_auth_owner"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'authdb')\gexec
ALTER DATABASE "authdb" OWNER TO "giia_auth_owner";
REVOKE ALL ON DATABASE "authdb" FROM PUBLIC;
GRANT CONNECT ON DATABASE "authdb" TO "giia_auth";
\getenv giia_catalog_owner_password GIIA_CATALOG_OWNER_PASSWORD
\if :{?giia_catalog_owner_password}
\else
  \warn 'GIIA_CATALOG_OWNER_PASSWORD is not set'
  SELECT 1 / 0 AS missing_password;
\endif
SELECT :'giia_catalog_owner_password' = '' AS giia_catalog_owner_password_empty \gset
\if :giia_catalog_owner_password_empty
  \warn 'GIIA_CATALOG_OWNER_PASSWORD is empty'
  SELECT 1 / 0 AS empty_password;
\endif
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'giia_catalog_owner') THEN CREATE ROLE "giia_catalog_owner"; END IF; END $$;
ALTER ROLE "giia_catalog_owner" WITH LOGIN PASSWORD :'giia_catalog_owner_password';
\getenv giia_catalog_password GIIA_CATALOG_PASSWORD
\if :{?giia_catalog_password}
\else
  \warn 'GIIA_CATALOG_PASSWORD is not set'
  SELECT 1 / 0 AS missing_password;
\endif
SELECT :'giia_catalog_password' = '' AS giia_catalog_password_empty \gset
\if :giia_catalog_password_empty
  \warn 'GIIA_CATALOG_PASSWORD is empty'
  SELECT 1 / 0 AS empty_password;
\endif
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'giia_catalog') THEN CREATE ROLE "giia_catalog"; END IF; END $$;
ALTER ROLE "giia_catalog" WITH LOGIN PASSWORD :'giia_catalog_password';
GRANT "giia_catalog_owner" TO CURRENT_USER;
SELECT 'CREATE DATABASE "catalogdb" OWNER "giia_catalog_owner"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'catalogdb')\gexec
ALTER DATABASE "catalogdb" OWNER TO "giia_catalog_owner";
REVOKE ALL ON DATABASE "catalogdb" FROM PUBLIC;
GRANT CONNECT ON DATABASE "catalogdb" TO "giia_catalog";
\getenv giia_dlq_owner_password GIIA_DLQ_OWNER_PASSWORD
\if :{?giia_dlq_owner_password}
\else
  \warn 'GIIA_DLQ_OWNER_PASSWORD is not set'
  SELECT 1 / 0 AS missing_password;
\endif
SELECT :'giia_dlq_owner_password' = '' AS giia_dlq_owner_password_empty \gset
\if :giia_dlq_owner_password_empty
  \warn 'GIIA_DLQ_OWNER_PASSWORD is empty'
  SELECT 1 / 0 AS empty_password;
\endif
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'giia_dlq_owner') THEN CREATE ROLE "giia_dlq_owner"; END IF; END $$;
ALTER ROLE "giia_dlq_owner" WITH LOGIN PASSWORD :'giia_dlq_owner_password';
\getenv giia_dlq_password GIIA_DLQ_PASSWORD
\if :{?giia_dlq_password}
\else
  \warn 'GIIA_DLQ_PASSWORD is not set'
  SELECT 1 / 0 AS missing_password;
\endif
SELECT :'giia_dlq_password' = '' AS giia_dlq_password_empty \gset
\if :giia_dlq_password_empty
  \warn 'GIIA_DLQ_PASSWORD is empty'
  SELECT 1 / 0 AS empty_password;
\endif
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'giia_dlq') THEN CREATE ROLE "giia_dlq"; END IF; END $$;
ALTER ROLE "giia_dlq" WITH LOGIN PASSWORD :'giia_dlq_password';
GRANT "giia_dlq_owner" TO CURRENT_USER;
SELECT 'CREATE DATABASE "dlqdb" OWNER "giia_dlq_owner"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'dlqdb')\gexec
ALTER DATABASE "dlqdb" OWNER TO "giia_dlq_owner";
REVOKE ALL ON DATABASE "dlqdb" FROM PUBLIC;
GRANT CONNECT ON DATABASE "dlqdb" TO "giia_dlq";
\getenv giia_ddmrp_owner_password GIIA_DDMRP_OWNER_PASSWORD
\if :{?giia_ddmrp_owner_password}
\else
  \warn 'GIIA_DDMRP_OWNER_PASSWORD is not set'
  SELECT 1 / 0 AS missing_password;
\endif
SELECT :'giia_ddmrp_owner_password' = '' AS giia_ddmrp_owner_password_empty \gset
\if :giia_ddmrp_owner_password_empty
  \warn 'GIIA_DDMRP_OWNER_PASSWORD is empty'
  SELECT 1 / 0 AS empty_password;
\endif
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'giia_ddmrp_owner') THEN CREATE ROLE "giia_ddmrp_owner"; END IF; END $$;
ALTER ROLE "giia_ddmrp_owner" WITH LOGIN PASSWORD :'giia_ddmrp_owner_password';
\getenv giia_ddmrp_password GIIA_DDMRP_PASSWORD
\if :{?giia_ddmrp_password}
\else
  \warn 'GIIA_DDMRP_PASSWORD is not set'
  SELECT 1 / 0 AS missing_password;
\endif
SELECT :'giia_ddmrp_password' = '' AS giia_ddmrp_password_empty \gset
\if :giia_ddmrp_password_empty
  \warn 'GIIA_DDMRP_PASSWORD is empty'
  SELECT 1 / 0 AS empty_password;
\endif
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'giia_ddmrp') THEN CREATE ROLE "giia_ddmrp"; END IF; END $$;
ALTER ROLE "giia_ddmrp" WITH LOGIN PASSWORD :'giia_ddmrp_password';
GRANT "giia_ddmrp_owner" TO CURRENT_USER;
SELECT 'CREATE DATABASE "ddmrpdb" OWNER "giia_ddmrp_owner"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'ddmrpdb')\gexec
ALTER DATABASE "ddmrpdb" OWNER TO "giia_ddmrp_owner";
REVOKE ALL ON DATABASE "ddmrpdb" FROM PUBLIC;
GRANT CONNECT ON DATABASE "ddmrpdb" TO "giia_ddmrp";
\connect authdb
ALTER SCHEMA public OWNER TO "giia_auth_owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO "giia_auth";
DO $$ DECLARE item record; BEGIN
  FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relowner <> 'giia_auth_owner'::regrole LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO %I', item.name, 'giia_auth_owner');
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', item.name, 'giia_auth');
  END LOOP;
END $$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "giia_auth";
ALTER DEFAULT PRIVILEGES FOR ROLE "giia_auth_owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "giia_auth";
ALTER DEFAULT PRIVILEGES FOR ROLE "giia_auth_owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "giia_auth";
\connect catalogdb
ALTER SCHEMA public OWNER TO "giia_catalog_owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO "giia_catalog";
DO $$ DECLARE item record; BEGIN
  FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relowner <> 'giia_catalog_owner'::regrole LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO %I', item.name, 'giia_catalog_owner');
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', item.name, 'giia_catalog');
  END LOOP;
END $$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "giia_catalog";
ALTER DEFAULT PRIVILEGES FOR ROLE "giia_catalog_owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "giia_catalog";
ALTER DEFAULT PRIVILEGES FOR ROLE "giia_catalog_owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "giia_catalog";
\connect dlqdb
ALTER SCHEMA public OWNER TO "giia_dlq_owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO "giia_dlq";
DO $$ DECLARE item record; BEGIN
  FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relowner <> 'giia_dlq_owner'::regrole LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO %I', item.name, 'giia_dlq_owner');
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', item.name, 'giia_dlq');
  END LOOP;
END $$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "giia_dlq";
ALTER DEFAULT PRIVILEGES FOR ROLE "giia_dlq_owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "giia_dlq";
ALTER DEFAULT PRIVILEGES FOR ROLE "giia_dlq_owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "giia_dlq";
\connect ddmrpdb
ALTER SCHEMA public OWNER TO "giia_ddmrp_owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO "giia_ddmrp";
DO $$ DECLARE item record; BEGIN
  FOR item IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relowner <> 'giia_ddmrp_owner'::regrole LOOP
    EXECUTE format('ALTER TABLE %s OWNER TO %I', item.name, 'giia_ddmrp_owner');
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', item.name, 'giia_ddmrp');
  END LOOP;
END $$;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "giia_ddmrp";
ALTER DEFAULT PRIVILEGES FOR ROLE "giia_ddmrp_owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "giia_ddmrp";
ALTER DEFAULT PRIVILEGES FOR ROLE "giia_ddmrp_owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "giia_ddmrp";
