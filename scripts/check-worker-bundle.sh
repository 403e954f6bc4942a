#!/usr/bin/env bash
# Builds the Worker bundle exactly as `wrangler deploy` would (without uploading) and prints its
# size, so a Worker that no longer bundles fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export WRANGLER_SEND_METRICS=false
# The static assets (the dashboard and Swagger UI's files) are part of what deploys.
npm run build:web
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx wrangler deploy --dry-run --outdir "$out"
bundle="$out/worker.js"
[ -f "$bundle" ] || { echo "no Worker bundle was written to $out" >&2; ls -la "$out" >&2; exit 1; }
bytes=$(wc -c < "$bundle")
gzip_bytes=$(gzip -c "$bundle" | wc -c)
echo "Worker bundle: $bundle is $bytes bytes ($gzip_bytes bytes gzipped)"
