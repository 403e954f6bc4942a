#!/usr/bin/env bash
# `npm run dev:worker [-- wrangler dev args]`: the API and the dashboard on the Workers runtime
# (workerd) with a local D1 database, offline. Builds the dashboard, applies db/migrations to the
# local D1, then starts `wrangler dev`.
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

# The dashboard and Swagger UI's files: the Worker's static assets (dist/worker-assets).
# SKIP_WEB_BUILD=1 serves the build already there (the tests: it is built once, before them).
if [ "${SKIP_WEB_BUILD:-0}" != 1 ]; then npm run build:web; fi
npx wrangler d1 migrations apply DB --local "${persist[@]}"
exec npx wrangler dev "$@"
