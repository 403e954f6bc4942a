#!/usr/bin/env bash
# Container smoke test: build the image, run it on a fresh volume, exercise the API, restart and
# check the data survived, check it runs as non-root, stop it and check it shut down cleanly,
# then remove everything it made. Exits non-zero on any failure, printing the container's log.
#
# Then the dashboard: served by the same image at /, and by the nginx image (web/Dockerfile) with
# /api/ and /health proxied to the running backend.
#
#   bash scripts/smoke.sh              build ./Dockerfile and web/Dockerfile and test them
#   IMAGE=name:tag WEB_IMAGE=name:tag SKIP_BUILD=1 ...
#                                      test images built elsewhere (CI builds them with buildx)
set -euo pipefail
cd "$(dirname "$0")/.."

suffix="$$-$RANDOM"
IMAGE=${IMAGE:-chronotrack:smoke-$suffix}
WEB_IMAGE=${WEB_IMAGE:-chronotrack-web:smoke-$suffix}
NAME="chronotrack-smoke-$suffix"
WEB_NAME="chronotrack-web-smoke-$suffix"
VOLUME="chronotrack-smoke-$suffix"
PORT=${SMOKE_PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}
BASE="http://127.0.0.1:$PORT"
GRACE=10
built_here=0

say() { printf '[smoke] %s\n' "$*"; }
fail() {
  say "FAIL: $*"
  say "---- container log ----"
  docker logs "$NAME" 2>&1 | tail -n 100 || true
  exit 1
}
cleanup() {
  docker rm -f "$NAME" "$WEB_NAME" >/dev/null 2>&1 || true
  docker volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  if [ "$built_here" = 1 ]; then docker rmi -f "$IMAGE" "$WEB_IMAGE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# The admin key the container gets from its environment (ADMIN_API_KEY), as Compose passes it.
ADMIN_KEY="ct_smoke_$(node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("hex"))')"
KEY="$ADMIN_KEY"

# curl is not assumed: Node (needed to build anyway) makes the requests, with $KEY when set.
http() { # METHOD PATH [JSON] -> prints "STATUS BODY"
  node -e '
    const [method, url, body, key] = process.argv.slice(1);
    const headers = {};
    if (body) headers["Content-Type"] = "application/json";
    if (key) headers.Authorization = "Bearer " + key;
    fetch(url, { method, body: body || undefined, headers })
      .then(async (r) => console.log(r.status + " " + (await r.text())))
      .catch((e) => { console.log("000 " + e.message); });
  ' "$1" "$BASE$2" "${3:-}" "$KEY"
}
header() { # PATH NAME -> prints the response header's value (GET, no key)
  node -e '
    const [url, name] = process.argv.slice(1);
    fetch(url, { headers: { Accept: "text/html" } })
      .then((r) => console.log(r.headers.get(name) ?? ""))
      .catch(() => console.log(""));
  ' "$BASE$1" "$2"
}
expect_status() { # EXPECTED "STATUS BODY" WHAT
  [ "${2%% *}" = "$1" ] || fail "$3: expected $1, got: $2"
}
json_field() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]]))' "${1#* }" "$2"; }
wait_healthy() {
  for _ in $(seq 1 120); do
    [ "$(http GET /health | cut -d' ' -f1)" = 200 ] && return 0
    [ "$(docker inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" = true ] || fail "container is not running"
    sleep 0.5
  done
  fail "/health did not answer 200 within 60 s"
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  say "building $IMAGE"
  built_here=1
  docker build -t "$IMAGE" . >/tmp/chronotrack-smoke-build.log 2>&1 || { tail -n 60 /tmp/chronotrack-smoke-build.log; say "FAIL: docker build"; exit 1; }
  say "building $WEB_IMAGE (web/Dockerfile)"
  docker build -f web/Dockerfile -t "$WEB_IMAGE" . >/tmp/chronotrack-smoke-web-build.log 2>&1 || { tail -n 60 /tmp/chronotrack-smoke-web-build.log; say "FAIL: docker build -f web/Dockerfile"; exit 1; }
fi
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
say "image $IMAGE: $((size / 1024 / 1024)) MiB"
# podman's Docker API leaves Config.Healthcheck empty even when the image has one; the history
# records the instruction on every engine.
if [ "$(docker image inspect -f '{{json .Config.Healthcheck}}' "$IMAGE")" = null ]; then
  [[ "$(docker history --no-trunc "$IMAGE")" == *HEALTHCHECK* ]] || fail "image has no HEALTHCHECK"
fi

docker volume create "$VOLUME" >/dev/null
say "starting $NAME on port $PORT with volume $VOLUME"
docker run -d --name "$NAME" -e PORT="$PORT" -e ADMIN_API_KEY="$ADMIN_KEY" -p "$PORT:$PORT" \
  -v "$VOLUME:/data" "$IMAGE" >/dev/null
wait_healthy
say "healthy"
logs=$(docker logs "$NAME" 2>&1)
[[ "$logs" != *"$ADMIN_KEY"* ]] || fail "the log shows ADMIN_API_KEY"

expect_status 401 "$(KEY="" http GET /api/jobs)" "GET /api/jobs without a key"
expect_status 401 "$(KEY="ct_not_a_key_$RANDOM" http GET /api/jobs)" "GET /api/jobs with a bad key"
expect_status 404 "$(http GET /jobs)" "GET /jobs (the old path)"
expect_status 200 "$(KEY="" http GET /api/health)" "GET /api/health without a key"
say "no key: 401; /health and /api/health need none; the old root paths are 404"

job=$(http POST /api/jobs '{"name":"smoke test","type":"smoke"}')
expect_status 201 "$job" "POST /jobs"
job_id=$(json_field "$job" id)
run=$(http POST "/api/jobs/$job_id/runs" '{"status":"RUNNING","metadata":{"from":"smoke"}}')
expect_status 201 "$run" "POST /jobs/$job_id/runs"
run_id=$(json_field "$run" id)
done_run=$(http PATCH "/api/runs/$run_id" '{"status":"SUCCESS"}')
expect_status 200 "$done_run" "PATCH /runs/$run_id"
say "created job $job_id and run $run_id"
expect_status 200 "$(http GET "/api/jobs/$job_id/stats")" "GET /jobs/$job_id/stats"
expect_status 200 "$(KEY="" http GET /api/openapi.json)" "GET /api/openapi.json"
expect_status 200 "$(KEY="" http GET /api/docs)" "GET /api/docs"
docs_asset=$(KEY="" http GET /api/docs/assets/swagger-ui-bundle.js)
expect_status 200 "${docs_asset:0:3}" "GET /api/docs/assets/swagger-ui-bundle.js"
say "stats, OpenAPI document and API reference assets served"

# The dashboard, from the backend itself: index.html at / (never cached), hashed assets for good.
page=$(KEY="" http GET /)
expect_status 200 "$page" "GET / (the dashboard)"
[[ "$page" == *'<div id="root">'* ]] || fail "GET / is not the dashboard's index.html"
asset=$(grep -o '/assets/[^"]*\.js' <<<"$page" | head -n 1)
[ -n "$asset" ] || fail "index.html names no script under /assets/"
[ "$(header "$asset" Cache-Control)" = "public, max-age=31536000, immutable" ] || fail "$asset is not cached immutable"
[ "$(header /jobs/1 Cache-Control)" = "no-cache" ] || fail "GET /jobs/1 (a dashboard route) is not index.html, no-cache"
say "the backend serves the dashboard at / ($asset)"

# The nginx image: the same files, the SPA fallback, /api/ and /health proxied to this backend.
# On the host network, so 127.0.0.1:$PORT is the backend's published port on every engine.
WEB_PORT=${SMOKE_WEB_PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}
WEB_BASE="http://127.0.0.1:$WEB_PORT"
docker run -d --name "$WEB_NAME" --network host -e PORT="$WEB_PORT" \
  -e CHRONOTRACK_BACKEND="http://127.0.0.1:$PORT" "$WEB_IMAGE" >/dev/null
for _ in $(seq 1 60); do
  [ "$(BASE="$WEB_BASE" KEY="" http GET / | cut -c1-3)" = 200 ] && break
  sleep 0.5
done
web_page=$(BASE="$WEB_BASE" KEY="" http GET /)
expect_status 200 "$web_page" "GET / through nginx"
[[ "$web_page" == *'<div id="root">'* ]] || { docker logs "$WEB_NAME" 2>&1 | tail -n 30; fail "nginx does not serve the dashboard"; }
[[ "$(BASE="$WEB_BASE" KEY="" http GET /runs/42)" == *'<div id="root">'* ]] || fail "no SPA fallback through nginx"
expect_status 200 "$(BASE="$WEB_BASE" http GET "/api/jobs/$job_id")" "GET /api/jobs/$job_id through nginx"
expect_status 401 "$(BASE="$WEB_BASE" KEY="" http GET /api/jobs)" "GET /api/jobs without a key through nginx"
expect_status 200 "$(BASE="$WEB_BASE" KEY="" http GET /health)" "GET /health through nginx"
[ "$(BASE="$WEB_BASE" header "$asset" Cache-Control)" = "public, max-age=31536000, immutable" ] || fail "nginx does not cache $asset immutable"
[ "$(BASE="$WEB_BASE" header / Cache-Control)" = "no-cache" ] || fail "nginx caches index.html"
# A person's path through nginx in Chromium, where the checkout has its dependencies (.ci/run).
browser=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -d node_modules/playwright-core ] && [ -x "$browser" ]; then
  DASHBOARD_URL="$WEB_BASE" ADMIN_KEY="$ADMIN_KEY" npx vitest run --config web/e2e/vitest.url.config.mts \
    >/tmp/chronotrack-smoke-flow.log 2>&1 || { tail -n 40 /tmp/chronotrack-smoke-flow.log; fail "the dashboard flow through nginx"; }
  say "through nginx in Chromium: trigger a run, fail it, find it by the FAILED filter; a read key cannot trigger"
else
  say "no node_modules or Chromium here: the browser flow through nginx is left to .ci/run"
fi
web_uid=$(docker exec "$WEB_NAME" sh -c "awk '/^Uid:/{print \$2}' /proc/1/status")
[ "$web_uid" != 0 ] || fail "nginx runs as root"
docker rm -f "$WEB_NAME" >/dev/null
say "nginx (uid $web_uid) serves the dashboard with its SPA fallback and proxies /api/ and /health"

# A key made with the keys command inside the container works, and revoking it stops it.
made=$(docker exec "$NAME" node dist/functions/keys-command.js create --name smoke --scope read 2>/dev/null)
[[ "$made" == ct_* ]] || fail "the keys command printed no key: $made"
expect_status 200 "$(KEY="$made" http GET "/api/jobs/$job_id")" "GET with a key from the keys command"
expect_status 403 "$(KEY="$made" http POST /api/jobs '{"name":"x"}')" "POST with a read key"
say "keys command inside the container: a read key reads and is refused writes"

# chronotrack-admin on the image's PATH: a backup of the live database, checked, on the volume.
backup_out=$(docker exec "$NAME" chronotrack-admin backup /data/smoke-backup.db 2>&1) || fail "chronotrack-admin backup: $backup_out"
[[ "$backup_out" == *"integrity_check ok"* ]] || fail "chronotrack-admin backup printed: $backup_out"
say "chronotrack-admin in the container: $backup_out"

# The CLI on the image's PATH wraps a command, keeps its exit code and reports it by job key.
image_version=$(docker exec "$NAME" chronotrack --version)
[ "$image_version" = "$(node -p 'require("./package.json").version')" ] || fail "chronotrack --version in the image: $image_version"
cli_code=0
cli_out=$(docker exec -e CHRONOTRACK_URL="http://127.0.0.1:$PORT" -e CHRONOTRACK_API_KEY="$ADMIN_KEY" "$NAME" \
  chronotrack exec --job smoke-cli -- sh -c 'echo from the image; exit 3' 2>&1) || cli_code=$?
[ "$cli_code" = 3 ] || fail "chronotrack exec in the image exited $cli_code: $cli_out"
[ "$cli_out" = "from the image" ] || fail "chronotrack exec printed: $cli_out"
cli_runs=$(http GET /api/jobs/by-key/smoke-cli/runs)
expect_status 200 "$cli_runs" "GET /api/jobs/by-key/smoke-cli/runs"
[[ "$cli_runs" == *'"status":"FAILED"'* && "$cli_runs" == *'"exitCode":3'* ]] || fail "the CLI's run: $cli_runs"
say "chronotrack $image_version on the image's PATH: exec reported a FAILED run with exit code 3"

uid=$(docker exec "$NAME" node -e 'process.stdout.write(String(process.getuid()))')
[ "$uid" != 0 ] || fail "the server runs as root"
pid1_uid=$(docker exec "$NAME" sh -c "awk '/^Uid:/{print \$2}' /proc/1/status")
[ "$pid1_uid" != 0 ] || fail "PID 1 runs as root"
say "runs as uid $uid (PID 1 uid $pid1_uid)"

say "restarting"
docker restart -t "$GRACE" "$NAME" >/dev/null
wait_healthy
after=$(http GET "/api/runs/$run_id")
expect_status 200 "$after" "GET /runs/$run_id after restart"
[ "${after#* }" = "${done_run#* }" ] || fail "run changed across restart: ${done_run#* } vs ${after#* }"
expect_status 200 "$(http GET "/api/jobs/$job_id")" "GET /jobs/$job_id after restart"
say "data survived the restart"

say "stopping (grace period ${GRACE}s)"
start=$(date +%s)
docker stop -t "$GRACE" "$NAME" >/dev/null
took=$(($(date +%s) - start))
code=$(docker inspect -f '{{.State.ExitCode}}' "$NAME")
[ "$code" = 0 ] || [ "$code" = 143 ] || fail "exit code $code after docker stop"
[ "$took" -lt "$GRACE" ] || fail "stop took ${took}s: the process ignored SIGTERM and was killed"
logs=$(docker logs "$NAME" 2>&1) # captured first: `grep -q` in a pipe would SIGPIPE docker logs
[[ "$logs" == *'"msg":"shutdown complete"'* ]] || fail "no shutdown line in the log"
say "stopped cleanly in ${took}s with exit code $code"

# First start without ADMIN_API_KEY: an admin key is written to the volume, 0600, and works.
docker rm -f "$NAME" >/dev/null
docker volume rm -f "$VOLUME" >/dev/null
docker volume create "$VOLUME" >/dev/null
docker run -d --name "$NAME" -e PORT="$PORT" -p "$PORT:$PORT" -v "$VOLUME:/data" "$IMAGE" >/dev/null
wait_healthy
first=$(docker exec "$NAME" cat /data/admin-key) || fail "no /data/admin-key on first start"
mode=$(docker exec "$NAME" stat -c %a /data/admin-key)
[ "$mode" = 600 ] || fail "/data/admin-key has mode $mode, not 600"
expect_status 200 "$(KEY="$first" http GET /api/keys)" "GET /api/keys with the first-start key"
logs=$(docker logs "$NAME" 2>&1)
[[ "$logs" == *'"file":"/data/admin-key"'* ]] || fail "the log does not name the key file"
[[ "$logs" != *"$first"* ]] || fail "the log shows the first-start key"
say "first start: /data/admin-key (mode 600) holds a working admin key; the log names only the file"
say "PASS"
