#!/usr/bin/env bash
# Seeds GIIA's system roles and permissions into an Auth database (idempotent).
# Usage: DATABASE_URL=postgresql://user:pass@host:5432/authdb scripts/seed-roles.sh
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the Auth database, e.g. postgresql://postgres:secret@localhost:5432/authdb}"
here="$(cd "$(dirname "$0")" && pwd)"
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -f "$here/seed-roles.sql"
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "
  SELECT r.name AS role, r.level, COUNT(rp.permission_id) AS permissions
  FROM roles r LEFT JOIN role_permissions rp ON rp.role_id = r.id
  WHERE r.organization_id IS NULL
  GROUP BY r.name, r.level ORDER BY r.level;"
