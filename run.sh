#!/usr/bin/env bash
# Brings up the whole of GIIA (PostgreSQL, Redis, NATS JetStream, auth, catalog, dlq-worker, ddmrp) with the Aspire dashboard.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
exec dotnet run --project src/Giia.AppHost --launch-profile http "$@"
