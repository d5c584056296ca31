#!/usr/bin/env bash
# Writes the gRPC reference (docs/api/proto/<package>.md) from the services' .proto files and their comments, or into
# the folder given. A test renders it again and compares, so it cannot go stale; it also fails on an uncommented
# RPC or field. Usage: scripts/generate-proto-docs.sh [output-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project tools/Giia.ProtoDocs -c Release -- "${1:-docs/api/proto}"
