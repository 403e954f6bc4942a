#!/bin/sh
# Starts nginx for the dashboard (web/Dockerfile) with the backend it proxies to:
#   CHRONOTRACK_BACKEND  the API server's URL (default http://backend:3000, the Compose service)
#   PORT                 the port nginx listens on (default 8080; unprivileged, so above 1024)
set -eu
backend="${CHRONOTRACK_BACKEND:-http://backend:3000}"
port="${PORT:-8080}"
case "$backend" in
  http://?* | https://?*) ;;
  *) echo "CHRONOTRACK_BACKEND must be an http:// or https:// URL" >&2; exit 1 ;;
esac
case "$backend" in
  *[!A-Za-z0-9:/._-]*) echo "CHRONOTRACK_BACKEND holds characters nginx would misread" >&2; exit 1 ;;
esac
case "$port" in
  '' | *[!0-9]*) echo "PORT must be a number" >&2; exit 1 ;;
esac
mkdir -p /tmp/nginx
sed -e "s#@BACKEND@#${backend%/}#g" -e "s#@PORT@#$port#g" /etc/nginx/chronotrack.conf.in >/tmp/nginx/nginx.conf
nginx -t -q -c /tmp/nginx/nginx.conf
exec nginx -c /tmp/nginx/nginx.conf -g 'daemon off;'
