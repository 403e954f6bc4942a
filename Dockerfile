# syntax=docker/dockerfile:1
# ChronoTrack: the Node server on the SQLite default. Three stages: install → build (the entries
# bundled into dist/functions/ by esbuild) → runtime (compiled JS and production dependencies only: no compiler, no dev
# dependencies, no tests, no sources). better-sqlite3 13 ships prebuilt Node-API binaries for
# linux-x64 and linux-arm64, so no toolchain is needed.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm npm ci

FROM deps AS build
COPY tsconfig.json ./
# check-node.cjs runs first (npm's prebuild), as on any machine.
COPY scripts/build-node.mjs scripts/cli-bundle.mjs scripts/worker-assets.mjs scripts/check-node.cjs scripts/
COPY shared shared
COPY db db
COPY functions functions
# The chronotrack CLI (dist/cli/chronotrack.js, one self-contained file).
COPY cli cli
# The dashboard (dist/web), served by the same process at /.
COPY web web
RUN npm run build \
 && find dist -name '*.test.*' -delete \
 && rm -rf dist/worker-assets

FROM deps AS prod-deps
# Drop dev dependencies. Type-only packages stay behind as drizzle-orm's optional peers, and
# better-sqlite3 carries SQLite's sources and binaries for every platform: only this one's
# (glibc Linux, this architecture) is needed at run time.
RUN npm prune --omit=dev \
 && rm -rf node_modules/@types node_modules/@cloudflare/workers-types \
 && cd node_modules/better-sqlite3 \
 && rm -rf deps src \
 && arch=$(node -p 'process.arch') \
 && find prebuilds -type f -not -name "linux-$arch.node" -delete \
 && test -f "prebuilds/linux-$arch.node" \
 && node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_FILE=/data/chronotrack.db
WORKDIR /app
COPY --chown=root:root package.json ./
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The SQLite file (and its -wal/-shm) lives on the /data volume, owned by the unprivileged user.
# `chronotrack` on PATH: `docker run --rm chronotrack chronotrack exec --job k -- ...`, or
# `docker exec <container> chronotrack runs ls`.
# `chronotrack-admin backup|restore|check` (functions/runtime/admin-command.ts) on PATH too, over the
# same DATABASE_FILE: `docker exec <container> chronotrack-admin backup /data/backup.db`.
RUN mkdir -p /data && chown node:node /data \
 && ln -s /app/dist/cli/chronotrack.js /usr/local/bin/chronotrack \
 && printf '#!/bin/sh\nexec node /app/dist/functions/admin-command.js "$@"\n' > /usr/local/bin/chronotrack-admin \
 && chmod 755 /usr/local/bin/chronotrack-admin
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1 and handles SIGTERM/SIGINT itself (functions/runtime/node.ts): it stops accepting,
# lets in-flight requests finish, closes the database and exits 0, well inside `docker stop`'s 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/functions/node.js"]
