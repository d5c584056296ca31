#!/usr/bin/env bash
# Regenerates aspire-manifest.json at the repository root from the AppHost (containers, as deployed).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project src/Giia.AppHost --no-launch-profile -- --publisher manifest --output-path ../../aspire-manifest.json
