#!/usr/bin/env bash
# `npm run dev:worker [-- wrangler dev args]`: the API on the Workers runtime (workerd) with a local
# D1 database, offline. Applies db/migrations to the local D1 first, then starts `wrangler dev`.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false

persist=()
for ((i = 1; i <= $#; i++)); do
  # Keep migrations and the server on the same local state when --persist-to is given.
  if [[ "${!i}" == "--persist-to" ]]; then
    next=$((i + 1))
    persist=(--persist-to "${!next}")
  elif [[ "${!i}" == --persist-to=* ]]; then
    persist=("${!i}")
  fi
done

npx wrangler d1 migrations apply DB --local "${persist[@]}"
exec npx wrangler dev "$@"
