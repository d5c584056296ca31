#!/usr/bin/env bash
# Runs every test. Integration tests start the real AppHost with local PostgreSQL, Redis and NATS on free ports.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh --local
dotnet build Giia.sln -c Release
exec dotnet test Giia.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
