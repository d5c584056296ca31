#!/usr/bin/env bash
# Runs every test. Integration tests start the real AppHost with local PostgreSQL, Redis and NATS on free ports.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh --local
dotnet build Giia.sln -c Release
# The fast tier first (pure logic, seconds), then the system tests against the real AppHost.
dotnet test tests/Giia.UnitTests -c Release --no-build --logger "console;verbosity=normal" "$@"
dotnet test tests/Giia.Ddmrp.Tests -c Release --no-build --logger "console;verbosity=normal" "$@"
exec dotnet test tests/Giia.Tests -c Release --no-build --logger "console;verbosity=normal" "$@"
