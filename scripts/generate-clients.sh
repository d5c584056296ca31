#!/usr/bin/env bash
# Generates the C# REST clients (Kiota, pinned in dotnet-tools.json) from the committed OpenAPI documents into
# clients/Giia.ApiClients, or into the folder given. A test regenerates them and compares, so they cannot go stale.
# Usage: scripts/generate-clients.sh [output-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-clients/Giia.ApiClients}"
dotnet tool restore >/dev/null
for api in catalog auth; do
  name="$(tr '[:lower:]' '[:upper:]' <<<"${api:0:1}")${api:1}"
  rm -rf "$out/$name"
  dotnet kiota generate --language CSharp --openapi "docs/api/openapi/$api.json" --output "$out/$name" \
    --namespace-name "Giia.ApiClients.$name" --class-name "${name}Client" --exclude-backward-compatible \
    --clean-output --log-level Warning >/dev/null
  # The lock file records where the document was read from; keep it relative so every checkout generates the same.
  sed -i "s#\"descriptionLocation\": \".*\"#\"descriptionLocation\": \"../../../docs/api/openapi/$api.json\"#" "$out/$name/kiota-lock.json"
  rm -f "$out/$name/.kiota.log"
done
