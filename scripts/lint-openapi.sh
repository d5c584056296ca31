#!/usr/bin/env bash
# Lints every OpenAPI document under docs/api/openapi with Redocly CLI's recommended ruleset (redocly.yaml).
# Redocly CLI is installed from npm at the pinned version into .tools/ (git-ignored) on first use.
# Usage: scripts/lint-openapi.sh [file...]   (default: every docs/api/openapi/*.json)
set -euo pipefail
cd "$(dirname "$0")/.."

version=2.77.0
prefix=.tools/redocly-$version
redocly="$prefix/node_modules/.bin/redocly"
if [[ ! -x "$redocly" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "lint-openapi: needs Node.js 20+ and npm to install @redocly/cli $version." >&2
    exit 1
  fi
  echo "lint-openapi: installing @redocly/cli $version into $prefix"
  npm install --silent --no-audit --no-fund --prefix "$prefix" "@redocly/cli@$version" >/dev/null
fi

if (($#)); then
  files=("$@")
else
  shopt -s nullglob
  files=(docs/api/openapi/*.json)
fi
if ((${#files[@]} == 0)); then
  echo "lint-openapi: no OpenAPI document found under docs/api/openapi" >&2
  exit 1
fi

REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$redocly" lint --config redocly.yaml --format stylish "${files[@]}"
