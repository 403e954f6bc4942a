#!/usr/bin/env bash
# The README's quick start on a fresh machine: a clean node:24-bookworm-slim container holding only
# the repository's tracked files (no node_modules, no dist, no npm cache, not root), where
#
#   1. on an older Node (OLD_NODE_MAJOR, 20, first on PATH) the README's first command and its test
#      command stop within 30 s with npm's engines message, install nothing and do not crash;
#   2. on the image's Node 24 the first command, as written, serves /health and the dashboard, the
#      first start writes data/admin-key (mode 600), and the README's "Try it" block works with it;
#   3. that node_modules, with the older Node first on PATH again, stops `npm start` with
#      scripts/check-node.cjs's message.
#
# The commands are read from the README's ```sh blocks after <!-- quickstart:serve -->,
# <!-- quickstart:test --> and <!-- quickstart:try -->, so the check fails when the README and
# the project part. Uncommitted changes to tracked files are included (git stash create), so a
# README edit can be checked before it is committed. Needs docker (or podman's docker shim, after
# ../shared/container/setup.sh) and the npm registry; removes its container, also on failure.
#
#   bash scripts/fresh-machine.sh
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${FRESH_IMAGE:-node:24-bookworm-slim}
OLD_NODE_MAJOR=${OLD_NODE_MAJOR:-20}
OLD_NODE_LIMIT=30 # seconds the first command may take to refuse the older Node
SERVE_LIMIT=900   # seconds for npm ci, the build and the first answer of /health
NAME="chronotrack-fresh-$$-$RANDOM"
work=$(mktemp -d)

say() { printf '[fresh] %s\n' "$*"; }
fail() {
  say "FAIL: $*"
  exit 1
}
cleanup() {
  docker rm -f "$NAME" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# The ```sh block after the README's <!-- quickstart:NAME ... --> marker.
readme_block() {
  awk -v marker="<!-- quickstart:$1" '
    index($0, marker) == 1 { found = 1; next }
    found && !open && /^```sh$/ { open = 1; next }
    open && /^```$/ { exit }
    open { print }
  ' README.md
}
SERVE=$(readme_block serve)
TEST=$(readme_block test)
TRY=$(readme_block try)
[ -n "$SERVE" ] || fail "README.md has no \`\`\`sh block after <!-- quickstart:serve -->"
[ -n "$TEST" ] || fail "README.md has no \`\`\`sh block after <!-- quickstart:test -->"
[ -n "$TRY" ] || fail "README.md has no \`\`\`sh block after <!-- quickstart:try -->"
ENGINES=$(node -p 'require("./package.json").engines.node')
say "the README's first command: $SERVE"
say "its test command: $TEST"

# What a clone holds: the tracked files, with their uncommitted changes; nothing untracked or ignored.
snapshot=$(git stash create)
mkdir "$work/src"
git archive "${snapshot:-HEAD}" | tar -x -C "$work/src" -f -
OLD_NODE_DIR=$(NODE_MAJOR="$OLD_NODE_MAJOR" bash scripts/ensure-node.sh)

# podman here shares the host's network with every container by default (see setup.sh); slirp4netns
# gives this one its own, so the README's localhost:3000 is the container's and no one else's.
network=()
if docker version 2>/dev/null | grep -q 'Podman Engine'; then network=(--network slirp4netns); fi
docker run -d --name "$NAME" "${network[@]}" -v "$work/src:/src:ro" -v "$OLD_NODE_DIR:/opt/old-node:ro" \
  "$IMAGE" sleep infinity >/dev/null
# Runs a shell line in the container as the unprivileged user node, in its home; $CMD is the
# README's command, handed over untouched.
in_box() { docker exec -u node -w /home/node -e "CMD=${2:-}" "$NAME" bash -c "$1"; }
# npm reads the image's global npmrc (here: the CA bundle the registry is reached through) from
# under node's own prefix, /usr/local; the older Node's is /opt/old-node: name the file for it.
OLD_PATH='export PATH=/opt/old-node/bin:$PATH
  if [ -f /usr/local/etc/npmrc ]; then export npm_config_globalconfig=/usr/local/etc/npmrc; fi'

# curl for the README's "Try it" (the slim image has none), installed while the rest runs.
docker exec "$NAME" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl' \
  >"$work/apt.log" 2>&1 &
apt_pid=$!

# 1. The older Node: the first command and the test command stop, quickly, saying why.
for command in "$SERVE" "$TEST"; do
  in_box 'cp -r /src old'
  # Timed inside the container: what the user waits, without docker exec's own cost.
  read -r code took < <(in_box "cd old && $OLD_PATH"'
    started=$(date +%s%N)
    code=0; timeout 300 bash -c "$CMD" >../old.log 2>&1 || code=$?
    echo "$code $(( ($(date +%s%N) - started) / 1000000 ))"' "$command")
  [ -n "$code" ] || fail "could not run '$command' in the container"
  took=$(awk -v ms="$took" 'BEGIN { printf "%.1f", ms / 1000 }')
  out=$(in_box 'cat old.log')
  printf '%s\n' "$out" | sed 's/^/    /'
  [ "$code" != 0 ] || fail "'$command' succeeded under Node $OLD_NODE_MAJOR"
  [ "$code" -lt 124 ] || fail "'$command' under Node $OLD_NODE_MAJOR ended with code $code (a crash, or the timeout), not a refusal"
  [[ "$out" != *"Segmentation fault"* ]] || fail "'$command' under Node $OLD_NODE_MAJOR crashed"
  awk -v t="$took" -v l="$OLD_NODE_LIMIT" 'BEGIN { exit !(t < l) }' ||
    fail "'$command' under Node $OLD_NODE_MAJOR took ${took}s to stop (limit ${OLD_NODE_LIMIT}s)"
  in_box '[ ! -e old/node_modules ] && [ ! -e old/dist ]' || fail "'$command' under Node $OLD_NODE_MAJOR installed or built something"
  [[ "$out" == *"Required: {\"node\":\"$ENGINES\"}"* && "$out" == *"Actual:   {\"node\":\"v$OLD_NODE_MAJOR."* ]] ||
    fail "'$command' under Node $OLD_NODE_MAJOR did not say which Node it needs and which it found"
  in_box 'rm -rf old old.log'
  say "Node $OLD_NODE_MAJOR: '$command' stopped in ${took}s with exit code $code, installing nothing"
done

# 2. Node 24: the first command as written serves the API and the dashboard.
in_box 'cp -r /src chronotrack'
started=$(now)
docker exec -d -u node -w /home/node/chronotrack -e "CMD=$SERVE" "$NAME" \
  bash -c 'bash -c "$CMD" >/home/node/serve.log 2>&1; echo $? >/home/node/serve.exit'
get() { # PATH -> prints "STATUS BODY", from inside the container
  docker exec "$NAME" node -e '
    fetch("http://localhost:3000" + process.argv[1], { headers: { Accept: "text/html" } })
      .then(async (r) => console.log(r.status + " " + (await r.text())))
      .catch((e) => console.log("000 " + e.message));
  ' "$1"
}
serve_log() { say "---- the first command's output (last 40 lines) ----"; in_box 'tail -n 40 serve.log' || true; }
while :; do
  [ "$(get /health | cut -c1-3)" = 200 ] && break
  if in_box '[ -e serve.exit ]'; then
    serve_log
    fail "'$SERVE' exited with code $(in_box 'cat serve.exit') before /health answered"
  fi
  if awk -v t="$(since "$started")" -v l="$SERVE_LIMIT" 'BEGIN { exit !(t > l) }'; then
    serve_log
    fail "/health did not answer within ${SERVE_LIMIT}s"
  fi
  sleep 2
done
say "Node 24: '$SERVE' answered /health after $(since "$started")s"
page=$(get /)
[[ "$page" == "200 "*'<div id="root">'* ]] || fail "GET / is not the dashboard: ${page:0:200}"
say "GET / serves the dashboard's index.html"
mode=$(in_box 'stat -c %a chronotrack/data/admin-key') || fail "the first start wrote no data/admin-key"
[ "$mode" = 600 ] || fail "data/admin-key has mode $mode, not 600"
say "data/admin-key written (mode 600)"

wait "$apt_pid" || { tail -n 20 "$work/apt.log"; fail "could not install curl in the container"; }
tried=$(in_box 'cd chronotrack && bash -ec "$CMD"' "$TRY") || fail "the README's Try it block failed: $tried"
printf '%s\n' "$tried" | sed 's/^/    /'
[[ "$tried" == *'"name":"Daily ETL"'* ]] || fail "Try it: POST /api/jobs did not create the job"
[[ "$tried" == *'"status":"FAILED"'* && "$tried" == *'"errorMessage":"exit 1"'* ]] ||
  fail "Try it: the run did not end FAILED with its message"
say "the README's Try it block works with the key in data/admin-key"

# 3. The same node_modules with the older Node first on PATH again: the check script, not a crash.
code=0
out=$(in_box "cd chronotrack && $OLD_PATH"'
  PORT=3999 timeout 120 npm start 2>&1') || code=$?
[ "$code" = 1 ] && [[ "$out" == *"ChronoTrack needs Node.js $ENGINES"*"bash scripts/ensure-node.sh"* ]] ||
  fail "npm start under Node $OLD_NODE_MAJOR after an install under 24 (exit $code): $out"
say "Node $OLD_NODE_MAJOR over that node_modules: npm start stops with scripts/check-node.cjs's message"
say "PASS"
