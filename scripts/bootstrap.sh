#!/usr/bin/env bash
# Makes a fresh Debian machine ready to run GIIA: checks the .NET SDK, and when no container runtime answers
# (or when tests need them), installs PostgreSQL, Redis and NATS from Debian's packages.
# Usage: scripts/bootstrap.sh [--local]   (--local: always make sure the local servers are installed)
set -euo pipefail

need_local=false
[[ "${1:-}" == "--local" ]] && need_local=true

if ! command -v dotnet >/dev/null 2>&1; then
  echo "GIIA needs the .NET 10 SDK (https://dotnet.microsoft.com/download); 'dotnet' is not on PATH." >&2
  exit 1
fi

runtime="${ASPIRE_CONTAINER_RUNTIME:-docker}"
if ! $need_local && command -v "$runtime" >/dev/null 2>&1 && timeout 10 "$runtime" info >/dev/null 2>&1; then
  echo "bootstrap: $runtime answers; PostgreSQL, Redis and NATS will run as containers."
  exit 0
fi

postgres_found() { compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || command -v postgres >/dev/null 2>&1; }
missing=()
postgres_found || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || [[ -x /usr/bin/redis-server ]] || missing+=(redis-server)
command -v nats-server >/dev/null 2>&1 || [[ -x /usr/sbin/nats-server ]] || missing+=(nats-server)

if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: no container runtime and no apt-get: install ${missing[*]} yourself, or start Docker." >&2
    exit 1
  fi
  sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  echo "bootstrap: installing ${missing[*]} from Debian's packages"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian packages start system-wide servers where systemd runs; GIIA runs its own, on its own data.
echo "bootstrap: local PostgreSQL, Redis and NATS are installed."
